"""Reads of guides and assessments. Public reads return only published versions; staff reads take
the requesting user and return nothing for anyone without the right role (fail closed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from aman.guides.choices import LANGUAGES, VersionState
from aman.guides.models import Assessment, Guide, GuideVersion, Organisation
from aman.guides.permissions import can_run_assessments, can_write_guides
from aman.guides.search import query_terms

FALLBACK_LANGUAGE = "ar"


def _published() -> QuerySet[GuideVersion]:
    return GuideVersion.objects.filter(state=VersionState.PUBLISHED).select_related("guide")


def _pick_versions(versions: list[GuideVersion], language: str) -> list[GuideVersion]:
    """One version per guide: the one in ``language``, else Arabic, else any; in guide order."""
    by_guide: dict[int, dict[str, GuideVersion]] = {}
    for version in versions:
        by_guide.setdefault(version.guide_id, {})[version.language] = version
    chosen = []
    for texts in by_guide.values():
        version = texts.get(language) or texts.get(FALLBACK_LANGUAGE) or next(iter(texts.values()))
        chosen.append(version)
    chosen.sort(key=lambda v: (v.guide.order, v.guide.slug))
    return chosen


def guide_list_public(*, language: str, query: str = "", topic: str = "", platform: str = "") -> list[GuideVersion]:
    """Published guides, one version each in the reader's language where there is one.

    The search matches the folded text of every published language (so an Arabic word finds an
    Arabic guide while the page is in French) and every word must match."""
    guides = Guide.objects.all()
    if topic:
        guides = guides.filter(topic=topic)
    if platform:
        guides = guides.filter(platforms__contains=f",{platform},")
    terms = query_terms(query)
    if terms:
        matching = _published()
        for alternatives in terms:
            match = Q()
            for alternative in alternatives:
                match |= Q(search_text__contains=alternative)
            matching = matching.filter(match)
        guides = guides.filter(pk__in=matching.values("guide_id"))
    versions = list(_published().filter(guide__in=guides).order_by("guide__order", "guide__slug"))
    return _pick_versions(versions, language)


def guide_get_public(*, slug: str, language: str) -> GuideVersion | None:
    versions = list(_published().filter(guide__slug=slug))
    picked = _pick_versions(versions, language)
    return picked[0] if picked else None


def guide_languages_public(*, guide: Guide) -> list[str]:
    published = set(guide.versions.filter(state=VersionState.PUBLISHED).values_list("language", flat=True))
    return [code for code in LANGUAGES if code in published]


def guides_for_category(category: str, language: str, *, limit: int = 6) -> list[GuideVersion]:
    """Published guides for a harm category, in ``language`` only (what a reporter or a case gets)."""
    if not category:
        return []
    return list(
        _published()
        .filter(language=language, guide__categories__contains=f",{category},")
        .order_by("guide__order", "guide__slug")[:limit]
    )


def guides_to_send(*, user: Any, category: str, language: str) -> list[GuideVersion]:
    """Guides an agent can send on a case: published in the case's language, its category first,
    then the rest."""
    if not can_write_guides(user):
        return []
    versions = list(_published().filter(language=language).order_by("guide__order", "guide__slug"))
    key = f",{category},"
    versions.sort(key=lambda v: (key not in v.guide.categories, v.guide.order, v.guide.slug))
    return versions


# ---------------------------------------------------------------- staff


@dataclass(frozen=True)
class StaffGuideRow:
    guide: Guide
    latest: dict[str, GuideVersion]  # newest version per language
    published: dict[str, GuideVersion]

    @property
    def cells(self) -> list[dict[str, Any]]:
        return [
            {"language": code, "latest": self.latest.get(code), "published": self.published.get(code)}
            for code in LANGUAGES
        ]


def guide_list_for_staff(*, user: Any) -> list[StaffGuideRow]:
    if not can_write_guides(user):
        return []
    guides = list(Guide.objects.all())
    versions = GuideVersion.objects.only(
        "id", "guide_id", "language", "number", "state", "title", "updated_at"
    ).order_by("guide_id", "language", "number")
    latest: dict[int, dict[str, GuideVersion]] = {}
    published: dict[int, dict[str, GuideVersion]] = {}
    for version in versions:
        latest.setdefault(version.guide_id, {})[version.language] = version
        if version.state == VersionState.PUBLISHED:
            published.setdefault(version.guide_id, {})[version.language] = version
    return [StaffGuideRow(g, latest.get(g.pk, {}), published.get(g.pk, {})) for g in guides]


def guide_get_for_staff(*, user: Any, slug: str) -> Guide | None:
    if not can_write_guides(user):
        return None
    return Guide.objects.filter(slug=slug).first()


def guide_versions_for_staff(*, user: Any, guide: Guide, language: str) -> list[GuideVersion]:
    if not can_write_guides(user):
        return []
    return list(guide.versions.filter(language=language).select_related("author", "reviewer").order_by("-number"))


def version_get_for_staff(*, user: Any, guide: Guide, language: str, number: int) -> GuideVersion | None:
    if not can_write_guides(user):
        return None
    return guide.versions.select_related("guide", "author", "reviewer").filter(language=language, number=number).first()


def organisation_list_accessible(*, user: Any) -> QuerySet[Organisation]:
    if not can_run_assessments(user):
        return Organisation.objects.none()
    return Organisation.objects.all()


def organisation_get_accessible(*, user: Any, pk: int) -> Organisation | None:
    return organisation_list_accessible(user=user).filter(pk=pk).first()


def assessment_list_for(*, user: Any, organisation: Organisation) -> QuerySet[Assessment]:
    if not can_run_assessments(user):
        return Assessment.objects.none()
    return organisation.assessments.select_related("created_by").order_by("-created_at", "-id")


def assessment_get_accessible(*, user: Any, pk: int) -> Assessment | None:
    if not can_run_assessments(user):
        return None
    return Assessment.objects.select_related("organisation", "created_by").filter(pk=pk).first()
