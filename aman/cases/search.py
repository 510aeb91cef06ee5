"""The normalised text a case is searched by: reference, report words, links and handles."""

from typing import TYPE_CHECKING

from aman.core.text import normalize_for_search

if TYPE_CHECKING:
    from aman.cases.models import Case


def case_search_text(case: "Case", extra: list[str] | None = None) -> str:
    parts = [case.reference, case.description]
    if case.pk:
        parts.extend(case.items.values_list("value", flat=True))
    parts.extend(extra or [])
    return normalize_for_search(" ".join(parts))[:20000]
