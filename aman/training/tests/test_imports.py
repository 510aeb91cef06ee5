import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook

from aman.audit.models import AuditEvent
from aman.core.spreadsheet import csv_safe as neutralise_cell
from aman.training.imports import MAX_ROWS, parse_participants
from aman.training.models import Participant
from aman.training.tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _post(client: Client, workshop: Any, name: str, data: bytes, consent: bool = True) -> Any:
    payload: dict[str, Any] = {"file": SimpleUploadedFile(name, data)}
    if consent:
        payload["consent_confirmed"] = "on"
    return client.post(f"/console/training/workshops/{workshop.pk}/import/", payload)


@pytest.fixture
def client(manager: Any) -> Client:
    c = Client()
    c.force_login(manager)
    return c


def test_csv_import_stores_every_row(client: Client) -> None:
    workshop = WorkshopFactory(capacity=10)
    data = "name,email\nسلمى أحمد,salma@example.org\nAmina  Benali,\nژیان ئەحمەد,ZHIAN@EXAMPLE.ORG\n".encode()
    response = _post(client, workshop, "list.csv", data)
    assert response.status_code == 302
    names = sorted(Participant.objects.filter(workshop=workshop).values_list("full_name", "email", "source"))
    assert ("Amina Benali", "", "import") in names
    assert ("ژیان ئەحمەد", "zhian@example.org", "import") in names
    assert all(p.consent_version for p in Participant.objects.all())
    assert AuditEvent.objects.filter(event_type="training.participants_imported", data__count=3).exists()


def test_xlsx_import_with_arabic_headers_and_semicolon_csv(client: Client) -> None:
    workshop = WorkshopFactory(capacity=10)
    assert (
        _post(
            client,
            workshop,
            "list.xlsx",
            _xlsx([["الاسم", "البريد الإلكتروني"], ["سلمى", None], ["كريم", "k@example.org"]]),
        ).status_code
        == 302
    )
    assert _post(client, workshop, "l.csv", b"nom;courriel\nLina;lina@example.org\n").status_code == 302
    assert Participant.objects.filter(workshop=workshop).count() == 3


@pytest.mark.parametrize(
    "cell",
    ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tname", "\rname", '=HYPERLINK("http://x")'],
)
def test_formula_injection_cells_refuse_the_whole_file(client: Client, cell: str) -> None:
    workshop = WorkshopFactory()
    for name, data in (
        ("list.csv", f'name,email\nسلمى,\n"{cell}",\n'.encode()),
        ("list.xlsx", _xlsx([["name", "email"], ["سلمى", None], [cell, None]])),
    ):
        response = _post(client, workshop, name, data)
        assert response.status_code == 400, (name, cell)
        body = response.content.decode()
        assert 'data-testid="import-error"' in body and "<td>3</td>" in body
    assert not Participant.objects.exists()
    assert not AuditEvent.objects.filter(event_type="training.participants_imported").exists()


def test_report_lists_each_bad_row_column_and_reason_translated(client: Client) -> None:
    workshop = WorkshopFactory()
    data = "name,email\nسلمى,not-an-email\n ,a@example.org\nOK Name,\n" + "x" * 130 + ",\n"
    client.cookies["aman_lang"] = "fr"
    response = _post(client, workshop, "list.csv", data.encode())
    body = response.content.decode()
    assert response.status_code == 400
    assert body.count('data-testid="import-error"') == 3
    assert "Adresse électronique non valide." in body and "Le nom est vide." in body
    assert "Le nom dépasse 120 caractères." in body
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("list.xlsx", b"PK\x03\x04 not really a zip"),
        ("list.xlsx", b"\x00\x01\x02garbage"),
        ("list.csv", "name\nسلمى\n".encode("cp1256")),
        ("list.csv", b"name\x00\nx\n"),
        ("list.csv", b"   \n\n"),
        ("list.csv", b"email\nx@example.org\n"),
        ("list.csv", b"name\n"),
        ("list.pdf", b"%PDF-1.4"),
        ("list.xlsx", b""),
    ],
)
def test_broken_files_are_refused_plainly(client: Client, name: str, data: bytes) -> None:
    workshop = WorkshopFactory()
    response = _post(client, workshop, name, data)
    assert response.status_code == 400
    assert not Participant.objects.exists()


def test_zip_bomb_is_refused_before_opening() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    with translation.override("en"):
        report = parse_participants(name="bomb.xlsx", data=data)
        assert not report.ok and "unpacked" in str(report.errors[0].reason)


def test_too_many_rows_and_too_large_files() -> None:
    rows = "name\n" + "".join(f"Person {i}\n" for i in range(MAX_ROWS + 1))
    assert not parse_participants(name="a.csv", data=rows.encode()).ok
    assert not parse_participants(name="a.csv", data=b"name\n" + b"x" * (3 * 1024 * 1024)).ok


def test_bidi_overrides_are_removed_and_nul_refused() -> None:
    report = parse_participants(name="a.csv", data="name\n\u202eAli\u202c Hassan\n".encode())
    assert report.ok and report.rows[0]["name"] == "Ali Hassan"
    assert not parse_participants(name="a.csv", data=b"name\nA\x01li\n").ok


def test_import_beyond_capacity_imports_nothing(client: Client) -> None:
    workshop = WorkshopFactory(capacity=2)
    response = _post(client, workshop, "list.csv", b"name\nA One\nB Two\nC Three\n")
    assert response.status_code == 400
    assert not Participant.objects.exists()


def test_consent_confirmation_is_required(client: Client) -> None:
    workshop = WorkshopFactory()
    assert _post(client, workshop, "list.csv", b"name\nA One\n", consent=False).status_code == 400
    assert not Participant.objects.exists()


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_export_cells_are_neutralised(value: str) -> None:
    assert neutralise_cell(value) == "'" + value
    assert neutralise_cell("Salma") == "Salma" and neutralise_cell(3) == 3
