"""Versioning, review and publishing, the seed loader and search folding, through the services."""

import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from aman.audit.models import AuditEvent
from aman.guides import errors, services
from aman.guides.choices import VersionState
from aman.guides.models import Guide, GuideVersion
from aman.guides.rendering import version_html
from aman.guides.selectors import guide_get_public, guide_list_public, guides_for_category
from aman.guides.tests.factories import FIXTURE_SEED, GuideFactory

pytestmark = pytest.mark.django_db


def _draft(guide: Guide, user, language: str = "ar", body: str = "## Body\n\n- step") -> GuideVersion:  # type: ignore[no-untyped-def]
    return services.guide_draft_save(
        guide=guide, language=language, title="عنوان", summary="ملخص", body_markdown=body, acting_user=user
    )


def test_agent_writes_drafts_supervisor_reviews_and_publishes(agent, supervisor) -> None:  # type: ignore[no-untyped-def]
    guide = GuideFactory()
    v1 = _draft(guide, agent)
    assert (v1.number, v1.state, v1.author) == (1, VersionState.DRAFT, agent)
    with pytest.raises(errors.NotAllowed):
        services.guide_version_publish(version=v1, acting_user=agent)
    services.guide_version_review(version=v1, acting_user=supervisor)
    services.guide_version_publish(version=v1, acting_user=supervisor)
    v1.refresh_from_db()
    assert v1.state == VersionState.PUBLISHED and v1.reviewer == supervisor
    assert guide_get_public(slug=guide.slug, language="ar") == v1
    # Editing adds a new draft; the public still sees version 1 until the new one is published.
    v2 = _draft(guide, agent, body="## New")
    assert v2.number == 2 and guide_get_public(slug=guide.slug, language="ar") == v1
    services.guide_version_publish(version=v2, acting_user=supervisor)
    v1.refresh_from_db()
    assert v1.state == VersionState.SUPERSEDED
    assert guide_get_public(slug=guide.slug, language="ar") == v2
    events = list(AuditEvent.objects.filter(event_type__startswith="guide.").values_list("event_type", flat=True))
    assert events == ["guide.draft_saved", "guide.reviewed", "guide.published", "guide.draft_saved", "guide.published"]


def test_only_the_newest_version_can_be_published(agent, supervisor) -> None:  # type: ignore[no-untyped-def]
    guide = GuideFactory()
    v1 = _draft(guide, agent)
    _draft(guide, agent)
    with pytest.raises(errors.NotLatestVersion):
        services.guide_version_publish(version=v1, acting_user=supervisor)


def test_publishing_drops_the_cached_html(agent, supervisor) -> None:  # type: ignore[no-untyped-def]
    guide = GuideFactory()
    v1 = _draft(guide, agent, body="old text")
    version_html(v1)
    services.guide_version_publish(version=v1, acting_user=supervisor)
    assert cache.get(f"guides:html:{v1.pk}") is None


def test_trainers_and_inactive_staff_cannot_write(supervisor) -> None:  # type: ignore[no-untyped-def]
    from aman.accounts.tests.factories import UserFactory

    guide = GuideFactory()
    for user in (UserFactory(role="trainer"), UserFactory(role="agent", is_active=False), UserFactory(role="")):
        with pytest.raises(errors.NotAllowed):
            _draft(guide, user)
    assert not GuideVersion.objects.exists()


def test_seed_loads_publishes_and_is_idempotent() -> None:
    first = services.guides_seed(directory=FIXTURE_SEED)
    assert sorted(first.created_guides) == ["blackmail-first-steps", "lock-your-account"]
    assert len(first.created_texts) == 6 and not first.problems
    version = guide_get_public(slug="lock-your-account", language="fr")
    assert version is not None and version.title == "Protéger votre compte"
    assert version.summary.startswith("Quelques étapes") and version.body_markdown.startswith("## Double")
    count = GuideVersion.objects.count()
    second = services.guides_seed(directory=FIXTURE_SEED)
    assert not second.changed and GuideVersion.objects.count() == count
    assert AuditEvent.objects.filter(event_type="guide.seeded").count() == 1


def test_seed_never_overwrites_staff_edits_but_updates_its_own_texts(tmp_path: Path, agent, supervisor) -> None:  # type: ignore[no-untyped-def]
    seed = tmp_path / "seed"
    shutil.copytree(FIXTURE_SEED, seed)
    services.guides_seed(directory=seed)
    guide = Guide.objects.get(slug="lock-your-account")
    staff = _draft(guide, agent, language="en", body="## Staff text")
    services.guide_version_publish(version=staff, acting_user=supervisor)
    (seed / "guides/lock-your-account/en.md").write_text("# New seed title\n\nNew summary.\n\n## New body\n")
    (seed / "guides/lock-your-account/fr.md").write_text("# Nouveau titre\n\nNouveau résumé.\n\n## Nouveau\n")
    report = services.guides_seed(directory=seed)
    assert report.kept_staff_texts == ["lock-your-account/en"]
    assert report.updated_texts == ["lock-your-account/fr"]
    assert guide_get_public(slug=guide.slug, language="en") == staff
    assert guide_get_public(slug=guide.slug, language="fr").title == "Nouveau titre"  # type: ignore[union-attr]


def test_malformed_seed_files_are_skipped_and_named(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    (seed / "guides" / "bad-meta").mkdir(parents=True)
    (seed / "guides" / "bad-meta" / "meta.json").write_text('{"topic": "nonsense"}')
    (seed / "guides" / "no-title").mkdir()
    (seed / "guides" / "no-title" / "meta.json").write_text('{"topic": "privacy", "platforms": [], "categories": []}')
    (seed / "guides" / "no-title" / "ar.md").write_text("no heading here\n\nbody")
    (seed / "guides" / "Bad Slug").mkdir()
    report = services.guides_seed(directory=seed)
    assert any("bad-meta/meta.json" in p for p in report.problems)
    assert any("no-title/ar.md" in p for p in report.problems)
    assert any("Bad Slug" in p for p in report.problems)
    assert not Guide.objects.filter(slug="bad-meta").exists()
    assert not GuideVersion.objects.filter(guide__slug="no-title").exists()


def test_guides_seed_command_and_demo_loader(settings) -> None:  # type: ignore[no-untyped-def]
    settings.AMAN_GUIDES_SEED_DIR = str(FIXTURE_SEED)
    call_command("guides_seed")
    from io import StringIO

    from aman.guides import demo

    out = StringIO()
    demo.load(out)
    assert "0 created" in out.getvalue()
    assert Guide.objects.count() == 2


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("اختراق", "ar"),  # the text has "إختراق" and "الإِختِراق" (hamza, diacritics)
        ("الاختراق", "ar"),
        ("اخـــتراق", "ar"),  # tatweel in the query
        ("securite", "fr"),  # the text has "sécurité"
        ("SÉCURITÉ", "fr"),
        ("هەژمار", "ckb"),
        ("هەژمارەکەت", "ckb"),
        ("two-step", "en"),
        # Other forms of a word, by light stemming.
        ("حساباتي", "ar"),  # "my accounts": the text has "الحساب" and "حسابك"
        ("والاختراقات", "ar"),
        ("comptes", "fr"),  # the text has "compte"
        ("piratages", "fr"),
        ("locking", "en"),  # the text has "Lock"
        ("accounts", "en"),
    ],
)
def test_search_is_aware_of_letter_variants_and_diacritics(query: str, language: str) -> None:
    services.guides_seed(directory=FIXTURE_SEED)
    found = guide_list_public(language=language, query=query)
    assert [v.guide.slug for v in found] == ["lock-your-account"]
    assert found[0].language == language


def test_search_without_match_and_filters() -> None:
    services.guides_seed(directory=FIXTURE_SEED)
    assert guide_list_public(language="ar", query="كلمة غير موجودة") == []
    assert [v.guide.slug for v in guide_list_public(language="ar", topic="blackmail")] == ["blackmail-first-steps"]
    assert [v.guide.slug for v in guide_list_public(language="ar", platform="tiktok")] == ["lock-your-account"]
    # A guide without a French text is listed in Arabic for a French reader.
    fr = {v.guide.slug: v.language for v in guide_list_public(language="fr")}
    assert fr == {"lock-your-account": "fr", "blackmail-first-steps": "ar"}


def test_guides_for_category_only_in_the_readers_language() -> None:
    services.guides_seed(directory=FIXTURE_SEED)
    assert [v.guide.slug for v in guides_for_category("sextortion", "ar")] == ["blackmail-first-steps"]
    assert guides_for_category("sextortion", "fr") == []  # no French text: nothing rather than Arabic
    assert guides_for_category("", "ar") == [] and guides_for_category("other", "ar") == []
