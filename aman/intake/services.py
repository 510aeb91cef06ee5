"""What a reporter can do: submit a report, come back with the code, reply, add links, change consent."""

import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.cases.choices import DEFAULT_URGENCY, URGENCY_RANK, AgeBand, HarmCategory, Source, Urgency
from aman.cases.models import Case, Message, ReportItem
from aman.cases.search import case_search_text
from aman.cases.sla import sla_apply
from aman.cases.states import REOPEN_FROM, Status
from aman.checks.services import triage_suggest_enqueue
from aman.core import ratelimit
from aman.core.crypto import decrypt_text, encrypt_text, keyed_hash
from aman.intake.codes import new_follow_up_code, new_reference, normalize_code, normalize_reference

REPORTER = "reporter"
SEVERE_WITH_MINOR = {HarmCategory.SEXTORTION, HarmCategory.NCII, HarmCategory.CHILD_SEXUAL_EXPLOITATION}


@dataclass
class ReportInput:
    """A validated report (forms and the API both produce one)."""

    category: str
    description: str
    affected: str
    age_band: str
    platforms: list[str] = field(default_factory=list)
    items: list[tuple[str, str]] = field(default_factory=list)
    in_danger_now: bool = False
    contact_method: str = "none"
    contact_value: str = ""
    consent_platform: bool = False
    consent_police: bool = False
    consent_hotline: bool = False
    language: str = "ar"
    source: str = Source.PORTAL


@dataclass(frozen=True)
class Submission:
    case: Case
    follow_up_code: str | None
    replayed: bool = False


def initial_urgency(data: ReportInput) -> str:
    minor = data.age_band in (AgeBand.UNDER_13, AgeBand.TEEN)
    if data.in_danger_now or data.category == HarmCategory.SELF_HARM:
        return Urgency.CRITICAL
    if minor and data.category in SEVERE_WITH_MINOR:
        return Urgency.CRITICAL
    return DEFAULT_URGENCY[HarmCategory(data.category)]


def _idempotency_hash(key: str) -> str:
    return hashlib.sha256(f"aman-intake|{key}".encode()).hexdigest()


def _replay(key_hash: str) -> Submission | None:
    case = Case.objects.filter(intake_key_hash=key_hash).first()
    if case is None:
        return None
    token = cache.get(f"intake-replay:{key_hash}")
    code = decrypt_text(token) if token else None
    return Submission(case=case, follow_up_code=code, replayed=True)


def report_submit(*, data: ReportInput, idempotency_key: str = "") -> Submission:
    """Store a report and return its reference and the one-time follow-up code.

    The report is committed before the reporter is answered. With an idempotency key, a
    retried submission returns the first one instead of creating a second case.
    """
    key_hash = _idempotency_hash(idempotency_key) if idempotency_key else None
    if key_hash:
        existing = _replay(key_hash)
        if existing:
            return existing
    code = new_follow_up_code()
    for _attempt in range(5):
        try:
            case = _report_store(data=data, code=code, key_hash=key_hash)
            break
        except IntegrityError:
            if key_hash:
                existing = _replay(key_hash)
                if existing:
                    return existing
            continue  # a reference collision: draw another
    else:  # pragma: no cover - 30**8 references make five collisions in a row implausible
        raise RuntimeError("Could not allocate a case reference")
    if key_hash:
        cache.set(f"intake-replay:{key_hash}", encrypt_text(code), timeout=24 * 3600)
    triage_suggest_enqueue(case_id=case.pk)  # after commit, in the background; it never raises
    return Submission(case=case, follow_up_code=code)


@transaction.atomic
def _report_store(*, data: ReportInput, code: str, key_hash: str | None) -> Case:
    now = timezone.now()
    urgency = initial_urgency(data)
    contact = f"{data.contact_method}:{data.contact_value}" if data.contact_method != "none" else ""
    case = Case(
        reference=new_reference(),
        follow_up_hash=keyed_hash(code),
        intake_key_hash=key_hash,
        source=data.source,
        language=data.language,
        reported_category=data.category,
        category=data.category,
        urgency=urgency,
        urgency_rank=URGENCY_RANK[Urgency(urgency)],
        minor_involved=data.age_band in (AgeBand.UNDER_13, AgeBand.TEEN),
        imminent_danger=data.in_danger_now,
        self_harm=data.category == HarmCategory.SELF_HARM,
        platforms="," + ",".join(data.platforms) + "," if data.platforms else "",
        affected=data.affected,
        age_band=data.age_band,
        in_danger_now=data.in_danger_now,
        description=data.description,
        contact_method=data.contact_method if contact else "none",
        contact_encrypted=encrypt_text(contact),
        consent_platform=data.consent_platform,
        consent_police=data.consent_police,
        consent_hotline=data.consent_hotline,
        consent_updated_at=now,
        last_reporter_activity_at=now,
    )
    sla_apply(case=case, received_at=now)
    case.search_text = case_search_text(case, extra=[value for _, value in data.items])
    case.save()
    ReportItem.objects.bulk_create([ReportItem(case=case, kind=kind, value=value) for kind, value in data.items])
    audit_record(
        event_type=EventType.REPORT_SUBMITTED,
        actor_label=REPORTER,
        case=case,
        data={"source": data.source, "category": data.category, "urgency": urgency, "items": len(data.items)},
    )
    return case


def _limits() -> tuple[int, int]:
    return settings.AMAN_FOLLOW_UP_MAX_ATTEMPTS, settings.AMAN_FOLLOW_UP_WINDOW_SECONDS


def followup_authenticate(*, reference: str, code: str, client_token: str) -> Case | None:
    """Return the case when the reference and code match; None otherwise, always the same way.

    Failures are counted per reference (whether it exists or not) and per client token, so
    guessing is slow and the answer never tells whether a reference exists.
    """
    limit, window = _limits()
    ref = normalize_reference(reference)
    ref_ident = ref or f"invalid:{reference[:32]}"
    if ratelimit.is_blocked(scope="followup-ref", ident=ref_ident, limit=limit) or ratelimit.is_blocked(
        scope="followup-client", ident=client_token, limit=limit * 4
    ):
        return None
    normalized_code = normalize_code(code)
    case = Case.objects.filter(reference=ref).first() if ref else None
    expected = case.follow_up_hash if case else "0" * 64
    given = keyed_hash(normalized_code or "-")
    if case is not None and normalized_code and hmac.compare_digest(expected, given):
        return case
    ratelimit.hit(scope="followup-ref", ident=ref_ident, limit=limit, window_seconds=window)
    ratelimit.hit(scope="followup-client", ident=client_token, limit=limit * 4, window_seconds=window)
    if case is not None:
        audit_record(event_type=EventType.FOLLOW_UP_FAILED, actor_label=REPORTER, case=case)
    return None


def followup_view_record(*, case: Case) -> None:
    audit_record(event_type=EventType.REPORTER_VIEWED, actor_label=REPORTER, case=case)


@transaction.atomic
def reporter_reply(*, case: Case, body: str) -> Message:
    """A reporter's message. It brings a waiting case back to work, and reopens a finished one."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    message = Message.objects.create(case=case, direction=Message.Direction.FROM_REPORTER, body=body)
    case.last_reporter_activity_at = message.created_at
    previous = case.status
    if case.purged_at is None and (previous == Status.WAITING or previous in REOPEN_FROM):
        case.status = Status.IN_PROGRESS
        case.resolved_at = None
        case.closed_at = None
        if previous in REOPEN_FROM:
            case.outcome = ""
    case.save()
    audit_record(
        event_type=EventType.REPORTER_REPLIED, actor_label=REPORTER, case=case, data={"message_id": message.pk}
    )
    if case.status != previous:
        event = EventType.CASE_REOPENED if previous in REOPEN_FROM else EventType.CASE_STATUS_CHANGED
        data = {"from": previous, "to": case.status, "reason": "reporter_replied"}
        audit_record(event_type=event, actor_label=REPORTER, case=case, data=data)
    return message


@transaction.atomic
def reporter_items_add(*, case: Case, items: list[tuple[str, str]]) -> int:
    case = Case.objects.select_for_update().get(pk=case.pk)
    ReportItem.objects.bulk_create([ReportItem(case=case, kind=kind, value=value) for kind, value in items])
    case.search_text = case_search_text(case)
    case.last_reporter_activity_at = timezone.now()
    case.save(update_fields=["search_text", "last_reporter_activity_at", "updated_at"])
    audit_record(event_type=EventType.REPORTER_ADDED_ITEMS, actor_label=REPORTER, case=case, data={"items": len(items)})
    return len(items)


@transaction.atomic
def reporter_consent_update(*, case: Case, platform: bool, police: bool, hotline: bool) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = {"platform": case.consent_platform, "police": case.consent_police, "hotline": case.consent_hotline}
    after = {"platform": platform, "police": police, "hotline": hotline}
    case.consent_platform, case.consent_police, case.consent_hotline = platform, police, hotline
    case.consent_updated_at = timezone.now()
    case.save()
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit_record(
        event_type=EventType.REPORTER_CHANGED_CONSENT, actor_label=REPORTER, case=case, data={"changes": changes}
    )
    return case
