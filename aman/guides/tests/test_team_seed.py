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
