"""Read participant lists from CSV or XLSX, defensively, and say exactly what is wrong.

Limits: the upload size, the number of rows, and for XLSX (a ZIP) the uncompressed size and
number of members, checked from the ZIP directory before openpyxl opens anything, so a
zip bomb is refused unread. Cells that a spreadsheet would run as a formula (starting with
= + - @ tab or CR) are refused, as are control characters; bidi overrides are removed.
Nothing is written here: ``participants_import`` stores all rows or none.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aman.core.spreadsheet import is_formula
from aman.core.text import clean_user_text

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_XLSX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_XLSX_MEMBERS = 200
MAX_NAME = 120
# OOXML writes control characters as _xHHHH_; read them back so they are checked like any other.
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

# Accepted headers (lower-cased, trimmed) for each column.
HEADERS = {
    "name": {"name", "full_name", "full name", "الاسم", "الاسم الكامل", "nom", "nom complet", "ناو", "ناوی تەواو"},
    "email": {"email", "e-mail", "البريد الإلكتروني", "البريد", "courriel", "ئیمەیڵ"},
}


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based, as a spreadsheet shows it (the header is row 1)
    column: str
    reason: str | Promise


@dataclass
class ParsedFile:
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _file_error(reason: str | Promise) -> ParsedFile:
    return ParsedFile(errors=[RowError(0, "", reason)])


def _read_csv(data: bytes) -> list[list[str]] | ParsedFile:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _file_error(_("The CSV file must be saved as UTF-8."))
    if "\x00" in text:
        return _file_error(_("The file contains null characters; it is not a text CSV file."))
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return _file_error(_("The CSV file could not be read."))


def _read_xlsx(data: bytes) -> list[list[str]] | ParsedFile:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_XLSX_MEMBERS or sum(m.file_size for m in members) > MAX_XLSX_UNCOMPRESSED:
                return _file_error(_("The spreadsheet is too large once unpacked."))
    except zipfile.BadZipFile:
        return _file_error(_("The file is not a valid XLSX spreadsheet."))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on broken files
        return _file_error(_("The file is not a valid XLSX spreadsheet."))
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            if len(rows) > MAX_ROWS + 1:
                break
            rows.append(
                [
                    "" if v is None else _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), str(v))
                    for v in values[:20]
                ]
            )
        return rows
    except Exception:
        return _file_error(_("The file is not a valid XLSX spreadsheet."))
    finally:
        workbook.close()


def parse_participants(*, name: str, data: bytes) -> ParsedFile:
    """Parse an uploaded list. Every bad row is reported with its column and the reason."""
    if len(data) > MAX_UPLOAD_BYTES:
        return _file_error(_("The file is too large (2 MB at most)."))
    if not data.strip():
        return _file_error(_("The file is empty."))
    lower = name.lower()
    if lower.endswith(".xlsx"):
        table = _read_xlsx(data)
    elif lower.endswith(".csv") or lower.endswith(".txt"):
        table = _read_csv(data)
    else:
        return _file_error(_("Upload a CSV or XLSX file."))
    if isinstance(table, ParsedFile):
        return table
    table = [row for row in table if any(cell.strip() for cell in row)] if table else []
    if not table:
        return _file_error(_("The file is empty."))
    header = [clean_user_text(h).lower() for h in table[0]]
    columns: dict[str, int] = {}
    for key, names in HEADERS.items():
        for index, title in enumerate(header):
            if title in names:
                columns[key] = index
                break
    if "name" not in columns:
        return _file_error(_("The first row must name the columns; a “name” column is required."))
    body = table[1:]
    if len(body) > MAX_ROWS:
        return _file_error(_("The file has too many rows (2,000 at most)."))
    if not body:
        return _file_error(_("The file has no participants under the header row."))
    result = ParsedFile()
    for offset, row in enumerate(body):
        number = offset + 2
        cells = {key: (row[index] if index < len(row) else "") for key, index in columns.items()}
        errors_before = len(result.errors)
        clean: dict[str, str] = {}
        for key, raw in cells.items():
            value = raw.strip()
            if is_formula(raw) or is_formula(value):
                result.errors.append(RowError(number, key, _("Starts with a formula character (= + - @).")))
                continue
            if any(ord(c) < 32 or ord(c) == 127 for c in raw):
                result.errors.append(RowError(number, key, _("Contains control characters.")))
                continue
            clean[key] = " ".join(clean_user_text(value).split())
        if len(result.errors) > errors_before:
            continue
        name_value = clean.get("name", "")
        if not name_value:
            result.errors.append(RowError(number, "name", _("The name is empty.")))
        elif len(name_value) > MAX_NAME:
            result.errors.append(RowError(number, "name", _("The name is longer than 120 characters.")))
        email = clean.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                result.errors.append(RowError(number, "email", _("Not a valid e-mail address.")))
        if len(result.errors) == errors_before:
            result.rows.append({"name": name_value, "email": email.lower()})
    return result
