from aman.cases.choices import Affected, AgeBand, HarmCategory
from aman.cases.models import Case
from aman.intake.services import ReportInput, Submission, report_submit


def submit_report(**overrides: object) -> Submission:
    """Create a case the way a reporter does: through the intake service."""
    data = {
        "category": HarmCategory.HARASSMENT_BULLYING,
        "description": "Someone keeps sending insulting messages to my daughter on Instagram.",
        "affected": Affected.MY_CHILD,
        "age_band": AgeBand.TEEN,
        "platforms": ["instagram"],
        "items": [("handle", "@bully_account"), ("url", "https://instagram.com/p/abc123")],
        "language": "ar",
    }
    data.update(overrides)
    return report_submit(data=ReportInput(**data))  # type: ignore[arg-type]


def case_factory(**overrides: object) -> Case:
    return submit_report(**overrides).case
