"""Reads of the hash banks, scoped by who asks (failing closed).

Helpline staff (agent, supervisor, admin) see every bank and may look hashes up; supervisors and
admins manage banks. Partners see only the banks given to them. Everyone else sees nothing.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from aman.hashbanks.models import BankedHash, ExchangePartner, HashBank


def can_manage_banks(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "can_see_all_cases", False))


def can_lookup(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_helpline_staff", False))


def bank_list_accessible(*, user: Any) -> QuerySet[HashBank]:
    if isinstance(user, ExchangePartner):
        qs = user.banks.filter(active=True) if user.active else HashBank.objects.none()
    elif can_lookup(user):
        qs = HashBank.objects.all()
    else:
        return HashBank.objects.none()
    return qs.annotate(
        live_count=Count("hashes", filter=Q(hashes__withdrawn_at__isnull=True)),
        withdrawn_count=Count("hashes", filter=Q(hashes__withdrawn_at__isnull=False)),
    ).order_by("name")


def bank_get_accessible(*, user: Any, bank_id: int) -> HashBank | None:
    return bank_list_accessible(user=user).filter(pk=bank_id).first()


def bank_ids_accessible(*, user: Any) -> list[int] | None:
    """Bank ids a caller may match against: None means every bank (staff)."""
    if isinstance(user, ExchangePartner):
        return list(user.banks.filter(active=True).values_list("pk", flat=True)) if user.active else []
    return None if can_lookup(user) else []


def hash_list(*, user: Any, bank: HashBank, q: str = "") -> QuerySet[BankedHash]:
    if not can_lookup(user):
        return BankedHash.objects.none()
    qs = BankedHash.objects.filter(bank=bank).select_related("added_by", "reviewed_by", "withdrawn_by", "source_case")
    q = q.strip().lower()
    if q:
        qs = qs.filter(value__startswith=q[:64])
    return qs.order_by("-change_seq")


def hash_get_accessible(*, user: Any, hash_id: int) -> BankedHash | None:
    if isinstance(user, ExchangePartner):
        ids = bank_ids_accessible(user=user) or []
        return BankedHash.objects.filter(pk=hash_id, bank_id__in=ids).select_related("bank").first()
    if not can_lookup(user):
        return None
    return BankedHash.objects.filter(pk=hash_id).select_related("bank").first()


def pending_reviews(*, user: Any) -> QuerySet[BankedHash]:
    if not can_manage_banks(user):
        return BankedHash.objects.none()
    pending = BankedHash.objects.filter(bank__kind="reporter", reviewed_at__isnull=True, withdrawn_at__isnull=True)
    # One row per picture (its first hash), with how many codes the picture has: they are
    # confirmed or rejected together.
    same_picture = pending.filter(bank=OuterRef("bank"), picture=OuterRef("picture")).exclude(picture="")
    codes = same_picture.order_by().values("picture").annotate(n=Count("pk")).values("n")[:1]
    return (
        pending.exclude(Exists(same_picture.filter(pk__lt=OuterRef("pk"))))
        .annotate(codes=Coalesce(Subquery(codes), 1))
        .select_related("bank", "source_case")
        .order_by("change_seq")
    )


@dataclass(frozen=True)
class MatchOrigin:
    """Where a matched hash was first reported in this helpline, as far as the viewer may know.

    ``kind``: "bank" (not from one of our cases), "this_case", "case" (``reference`` is set: the
    viewer may open it) or "hidden" (another case the viewer may not open; no reference given).
    """

    kind: str
    reference: str = ""


def match_origin(*, user: Any, source_case_id: int | None, current_case_id: int | None = None) -> MatchOrigin:
    """Fail closed: a case the viewer cannot open (or an anonymous viewer) is never named."""
    from aman.cases.selectors import case_list_accessible

    if source_case_id is None:
        return MatchOrigin("bank")
    if current_case_id is not None and source_case_id == current_case_id:
        return MatchOrigin("this_case")
    reference = case_list_accessible(user=user).filter(pk=source_case_id).values_list("reference", flat=True).first()
    return MatchOrigin("case", reference) if reference else MatchOrigin("hidden")


def case_hashes(*, user: Any, case_id: int) -> QuerySet[BankedHash]:
    """The hashes that came from one case (managers only; the case must be one they may open)."""
    from aman.cases.selectors import case_list_accessible

    if not can_manage_banks(user) or not case_list_accessible(user=user).filter(pk=case_id).exists():
        return BankedHash.objects.none()
    return BankedHash.objects.filter(source_case_id=case_id).select_related("bank").order_by("change_seq")
