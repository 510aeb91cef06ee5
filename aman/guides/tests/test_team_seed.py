"""The team's seed files (aman/guides/seed) are well formed: every guide, self-check and the
questionnaire parse, so `manage.py guides_seed` on a deploy loads them all."""

import json

import pytest

from aman.guides.definitions import DEFAULT_SEED_DIR, parse_risk_questionnaire, parse_selfcheck
from aman.guides.seed import read_guides

pytestmark = pytest.mark.skipif(not DEFAULT_SEED_DIR.is_dir(), reason="no seed content yet")


def test_team_guides_parse() -> None:
    guides, problems = read_guides(DEFAULT_SEED_DIR)
    assert problems == []
    for guide in guides:
        assert {t.language for t in guide.texts} == {"ar", "fr", "ckb", "en"}, guide.slug


def test_team_selfchecks_and_questionnaire_parse() -> None:
    for path in sorted((DEFAULT_SEED_DIR / "selfcheck").glob("*.json")):
        check = parse_selfcheck(json.loads(path.read_text(encoding="utf-8")), path.name)
        assert check.platform == path.stem
    questionnaire = DEFAULT_SEED_DIR / "risk_assessment.json"
    if questionnaire.is_file():
        parse_risk_questionnaire(json.loads(questionnaire.read_text(encoding="utf-8")), questionnaire.name)


@pytest.mark.django_db
def test_team_seed_loads_and_every_guide_page_renders(client, settings) -> None:  # type: ignore[no-untyped-def]
    from aman.guides.models import Guide
    from aman.guides.services import guides_seed

    settings.AMAN_GUIDES_SEED_DIR = str(DEFAULT_SEED_DIR)
    report = guides_seed(directory=DEFAULT_SEED_DIR)
    assert report.problems == [] and Guide.objects.exists()
    slugs = set(Guide.objects.values_list("slug", flat=True))
    for slug in slugs:
        for language in ("ar", "fr", "ckb", "en"):
            response = client.get(f"/guides/{slug}/?lang={language}")
            assert response.status_code == 200, (slug, language)
            assert "<script" not in response.content.decode().split('data-testid="guide-body">')[1].split("</div>")[0]
    for path in sorted((DEFAULT_SEED_DIR / "selfcheck").glob("*.json")):
        check = parse_selfcheck(json.loads(path.read_text(encoding="utf-8")), path.name)
        for question in check.questions:
            assert not question.guide or question.guide in slugs, (path.name, question.id, question.guide)
        assert client.get(f"/self-check/{check.platform}/").status_code == 200
