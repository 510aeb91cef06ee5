"""CSV that is safe to open in a spreadsheet, for every export in the app.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula
by Excel and LibreOffice (OWASP "CSV injection"); exports prefix such text with a quote, and
imports refuse it.
"""

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula(value: str) -> bool:
    return value.startswith(FORMULA_PREFIXES)


def csv_safe(value: Any) -> Any:
    """The value to write in a CSV cell: text a spreadsheet would run gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class Echo:
    """A file-like object for ``csv.writer`` that hands each line back, for streaming responses."""

    def write(self, value: str) -> str:
        return value
