"""The self-checks and the risk questionnaire, read from the seed files (JSON) and validated.

Both are content written by the team, not staff-edited data: they live in files under the seed
directory (``settings.AMAN_GUIDES_SEED_DIR``, by default ``aman/guides/seed``) and are re-read
when a file changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from aman.guides.choices import LANGUAGES, GuidePlatform, RiskArea

DEFAULT_SEED_DIR = Path(__file__).resolve().parent / "seed"


class DefinitionError(ValueError):
    """A seed file is malformed; the message names the file and the problem."""


def seed_dir() -> Path:
    return Path(getattr(settings, "AMAN_GUIDES_SEED_DIR", None) or DEFAULT_SEED_DIR)


def pick(texts: Any, language: str) -> str:
    """The text in ``language``, else Arabic, else English, else any."""
    if isinstance(texts, str):
        return texts
    if not isinstance(texts, dict):
        return ""
    for code in (language, "ar", "en", *LANGUAGES):
        value = texts.get(code)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _texts(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not any(isinstance(value.get(lang), str) for lang in LANGUAGES):
        raise DefinitionError(f"{where}: expected an object with texts in ar, fr, ckb, en")
    return {lang: str(value.get(lang) or "") for lang in LANGUAGES}


def _int(value: Any, where: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DefinitionError(f"{where}: expected a whole number from {low} to {high}")
    return value


# ---------------------------------------------------------------- self-check


@dataclass(frozen=True)
class CheckQuestion:
    id: str
    weight: int
    text: dict[str, str]
    advice: dict[str, str]
    guide: str


@dataclass(frozen=True)
class SelfCheck:
    platform: str
    questions: tuple[CheckQuestion, ...]

    @property
    def total_weight(self) -> int:
        return sum(q.weight for q in self.questions)


def parse_selfcheck(data: Any, where: str) -> SelfCheck:
    if not isinstance(data, dict) or data.get("platform") not in GuidePlatform.values:
        raise DefinitionError(f"{where}: 'platform' must be one of {', '.join(GuidePlatform.values)}")
    raw = data.get("questions")
    if not isinstance(raw, list) or not raw:
        raise DefinitionError(f"{where}: 'questions' must be a non-empty list")
    questions = []
    seen: set[str] = set()
    for i, q in enumerate(raw):
        at = f"{where} question {i + 1}"
        if not isinstance(q, dict) or not isinstance(q.get("id"), str) or not q["id"] or q["id"] in seen:
            raise DefinitionError(f"{at}: needs a unique 'id'")
        seen.add(q["id"])
        questions.append(
            CheckQuestion(
                id=q["id"],
                weight=_int(q.get("weight"), f"{at} weight", 1, 100),
                text=_texts(q.get("text"), f"{at} text"),
                advice=_texts(q.get("advice"), f"{at} advice"),
                guide=str(q.get("guide") or ""),
            )
        )
    return SelfCheck(platform=data["platform"], questions=tuple(questions))


# ---------------------------------------------------------------- risk questionnaire


@dataclass(frozen=True)
class RiskAnswer:
    id: str
    text: dict[str, str]
    likelihood: int


@dataclass(frozen=True)
class RiskQuestion:
    id: str
    text: dict[str, str]
    answers: tuple[RiskAnswer, ...]

    def answer(self, answer_id: str) -> RiskAnswer | None:
        return next((a for a in self.answers if a.id == answer_id), None)


@dataclass(frozen=True)
class Risk:
    id: str
    area: str
    title: dict[str, str]
    questions: tuple[RiskQuestion, ...]
    impact: int
    controls: tuple[dict[str, str], ...]
    owner: dict[str, str]


@dataclass(frozen=True)
class RiskQuestionnaire:
    version: int
    risks: tuple[Risk, ...]

    def field_name(self, risk: Risk, question: RiskQuestion) -> str:
        return f"{risk.id}__{question.id}"


def parse_risk_questionnaire(data: Any, where: str) -> RiskQuestionnaire:
    if not isinstance(data, dict):
        raise DefinitionError(f"{where}: expected an object")
    version = _int(data.get("version"), f"{where} version", 1, 10_000)
    raw = data.get("risks")
    if not isinstance(raw, list) or not raw:
        raise DefinitionError(f"{where}: 'risks' must be a non-empty list")
    risks = []
    seen: set[str] = set()
    for i, r in enumerate(raw):
        at = f"{where} risk {i + 1}"
        if not isinstance(r, dict) or not isinstance(r.get("id"), str) or not r["id"] or r["id"] in seen:
            raise DefinitionError(f"{at}: needs a unique 'id'")
        if "__" in r["id"]:
            raise DefinitionError(f"{at}: 'id' may not contain '__'")
        seen.add(r["id"])
        if r.get("area") not in RiskArea.values:
            raise DefinitionError(f"{at}: 'area' must be one of {', '.join(RiskArea.values)}")
        questions = []
        for j, q in enumerate(r.get("questions") or []):
            qat = f"{at} question {j + 1}"
            if not isinstance(q, dict) or not isinstance(q.get("id"), str) or not q["id"]:
                raise DefinitionError(f"{qat}: needs an 'id'")
            answers = []
            for k, a in enumerate(q.get("answers") or []):
                aat = f"{qat} answer {k + 1}"
                if not isinstance(a, dict) or not isinstance(a.get("id"), str) or not a["id"]:
                    raise DefinitionError(f"{aat}: needs an 'id'")
                answers.append(
                    RiskAnswer(
                        id=a["id"],
                        text=_texts(a.get("text"), f"{aat} text"),
                        likelihood=_int(a.get("likelihood"), f"{aat} likelihood", 1, 5),
                    )
                )
            if len(answers) < 2:
                raise DefinitionError(f"{qat}: needs at least two answers")
            questions.append(
                RiskQuestion(id=q["id"], text=_texts(q.get("text"), f"{qat} text"), answers=tuple(answers))
            )
        if not questions:
            raise DefinitionError(f"{at}: needs at least one question")
        controls = r.get("controls") or []
        if not isinstance(controls, list):
            raise DefinitionError(f"{at}: 'controls' must be a list")
        risks.append(
            Risk(
                id=r["id"],
                area=r["area"],
                title=_texts(r.get("title"), f"{at} title"),
                questions=tuple(questions),
                impact=_int(r.get("impact"), f"{at} impact", 1, 5),
                controls=tuple(_texts(c, f"{at} control") for c in controls),
                owner=_texts(r.get("owner"), f"{at} owner"),
            )
        )
    return RiskQuestionnaire(version=version, risks=tuple(risks))


# ---------------------------------------------------------------- loading with a small cache

_cache: dict[str, tuple[float, Any]] = {}


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DefinitionError(f"{path.name}: {exc}") from exc


def _cached(path: Path, parse: Any) -> Any:
    key = str(path)
    mtime = path.stat().st_mtime
    hit = _cache.get(key)
    if hit is not None and hit[0] == mtime:
        return hit[1]
    value = parse(_load_json(path), path.name)
    _cache[key] = (mtime, value)
    return value


def selfcheck_platforms() -> list[str]:
    """Platforms that have a self-check file, in the platform list's order."""
    folder = seed_dir() / "selfcheck"
    present = {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()
    return [p for p in GuidePlatform.values if p in present]


def selfcheck_get(platform: str) -> SelfCheck | None:
    if platform not in GuidePlatform.values:
        return None
    path = seed_dir() / "selfcheck" / f"{platform}.json"
    if not path.is_file():
        return None
    check: SelfCheck = _cached(path, parse_selfcheck)
    return check if check.platform == platform else None


def risk_questionnaire() -> RiskQuestionnaire | None:
    path = seed_dir() / "risk_assessment.json"
    if not path.is_file():
        return None
    questionnaire: RiskQuestionnaire = _cached(path, parse_risk_questionnaire)
    return questionnaire
