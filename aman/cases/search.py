"""The normalised text a case is searched by: reference, report words, links and handles.

Other apps add their own text (for instance the words read from evidence screenshots) by
registering a source in their ``AppConfig.ready``; the cases app does not import them.
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from aman.core.text import normalize_for_search

if TYPE_CHECKING:
    from aman.cases.models import Case

SearchSource = Callable[["Case"], Iterable[str]]
_SOURCES: list[SearchSource] = []


def register_search_source(source: SearchSource) -> SearchSource:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def case_search_text(case: "Case", extra: list[str] | None = None) -> str:
    parts = [case.reference, case.description]
    if case.pk:
        parts.extend(case.items.values_list("value", flat=True))
        for source in _SOURCES:
            parts.extend(source(case))
    parts.extend(extra or [])
    return normalize_for_search(" ".join(parts))[:20000]
