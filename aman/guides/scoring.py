"""Self-check scores and the risk register: pure functions over the definitions and the answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aman.guides.choices import risk_level
from aman.guides.definitions import CheckQuestion, RiskQuestionnaire, SelfCheck

YES, NO, UNSURE = "yes", "no", "unsure"
CHECK_ANSWERS = (YES, NO, UNSURE)


@dataclass(frozen=True)
class SelfCheckOutcome:
    score: int  # 0-100: the weighted share of "yes"
    band: str  # good, fair, weak
    next_steps: tuple[CheckQuestion, ...]  # the questions not answered "yes", heaviest first


def selfcheck_score(check: SelfCheck, answers: dict[str, str]) -> SelfCheckOutcome:
    """Score = weighted share of "yes"; anything else (no, not sure, missing) counts as not yet."""
    total = check.total_weight or 1
    yes = sum(q.weight for q in check.questions if answers.get(q.id) == YES)
    score = round(100 * yes / total)
    band = "good" if score >= 80 else "fair" if score >= 50 else "weak"
    steps = sorted((q for q in check.questions if answers.get(q.id) != YES), key=lambda q: -q.weight)
    return SelfCheckOutcome(score=score, band=band, next_steps=tuple(steps))


def risk_register(questionnaire: RiskQuestionnaire, answers: dict[str, str]) -> list[dict[str, Any]]:
    """One row per risk: likelihood = the highest likelihood among the chosen answers, score =
    likelihood × impact, level from the score's band; sorted by score, highest first.

    ``answers`` maps "<risk>__<question>" to an answer id; unanswered or unknown answers are
    counted at the highest likelihood the question allows (an unknown is not a reassurance).
    Texts are kept in every language so a saved register reads the same if the file changes.
    """
    rows: list[dict[str, Any]] = []
    for position, risk in enumerate(questionnaire.risks):
        likelihood = 1
        for question in risk.questions:
            chosen = question.answer(answers.get(questionnaire.field_name(risk, question), ""))
            value = chosen.likelihood if chosen else max(a.likelihood for a in question.answers)
            likelihood = max(likelihood, value)
        score = likelihood * risk.impact
        rows.append(
            {
                "risk": risk.id,
                "area": risk.area,
                "title": risk.title,
                "likelihood": likelihood,
                "impact": risk.impact,
                "score": score,
                "level": risk_level(score),
                "controls": list(risk.controls),
                "owner": risk.owner,
                "position": position,
            }
        )
    rows.sort(key=lambda r: (-r["score"], -r["impact"], r["position"]))
    return rows


def register_compare(previous: list[dict[str, Any]], latest: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per risk of the latest register: the previous and latest scores and the change."""
    before = {row["risk"]: row for row in previous}
    out = []
    for row in latest:
        prev = before.get(row["risk"])
        out.append(
            {
                "risk": row["risk"],
                "title": row["title"],
                "previous": prev["score"] if prev else None,
                "previous_level": prev["level"] if prev else "",
                "latest": row["score"],
                "latest_level": row["level"],
                "change": (row["score"] - prev["score"]) if prev else None,
            }
        )
    return out
