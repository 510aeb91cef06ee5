"""Hash banks: lists of PDQ and MD5 hashes with provenance, withdrawal and a change feed.

A ``BankedHash`` row is the source of truth; the in-memory PDQ index (matching.py) is a cache of
the rows that are not withdrawn. Every add, review and withdrawal takes the next number of one
counter (``HashChangeCounter``) under a row lock held until commit, so ``change_seq`` grows in
commit order and a partner who pulls "everything after N" never misses a change.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aman.cases.choices import HarmCategory
from aman.core.models import BaseModel

PDQ_RE = re.compile(r"[0-9a-f]{64}")
MD5_RE = re.compile(r"[0-9a-f]{32}")
DEFAULT_THRESHOLD = 31
MAX_THRESHOLD = 64


class SignalType(models.TextChoices):
    PDQ = "pdq", "PDQ"
    MD5 = "md5", "MD5"


class BankKind(models.TextChoices):
    OWN = "own", _("Our own confirmed hashes")
    PARTNER = "partner", _("A partner's list")
    EXCHANGE = "exchange", _("A hash exchange")
    REPORTER = "reporter", _("Submitted by reporters (needs review)")


# Harm categories a hash bank can hold (codes from the case vocabulary).
BANK_CATEGORIES = (
    HarmCategory.NCII,
    HarmCategory.SEXTORTION,
    HarmCategory.CHILD_SEXUAL_EXPLOITATION,
    HarmCategory.HARMFUL_CONTENT,
    HarmCategory.OTHER,
)
CATEGORY_CHOICES = [(c.value, c.label) for c in BANK_CATEGORIES]


def validate_hash_value(signal_type: str, value: str) -> None:
    pattern = PDQ_RE if signal_type == SignalType.PDQ else MD5_RE
    if not pattern.fullmatch(value or ""):
        raise ValidationError(_("Not a valid hash for this signal type."), code="invalid_hash")


class HashChangeCounter(models.Model):
    """One row (id=1): the last change number handed out, and the epoch (a full index rebuild)."""

    sequence = models.BigIntegerField(default=0)
    epoch = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.epoch}:{self.sequence}"


class HashBank(BaseModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=BankKind.choices, default=BankKind.OWN)
    category = models.CharField(_("category"), max_length=40, choices=CATEGORY_CHOICES, default=HarmCategory.NCII)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    partner_name = models.CharField(_("partner"), max_length=120, blank=True)
    active = models.BooleanField(_("used for matching"), default=True)
    threshold = models.PositiveSmallIntegerField(
        _("matching threshold (Hamming distance)"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_THRESHOLD)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("hash bank")
        constraints = [
            models.CheckConstraint(condition=Q(threshold__lte=MAX_THRESHOLD), name="hashbank_threshold_max"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_review(self) -> bool:
        return self.kind == BankKind.REPORTER


class BankedHash(models.Model):
    bank = models.ForeignKey(HashBank, on_delete=models.PROTECT, related_name="hashes")
    signal_type = models.CharField(_("signal type"), max_length=8, choices=SignalType.choices)
    value = models.CharField(_("hash"), max_length=64)
    quality = models.PositiveSmallIntegerField(_("quality"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=40, choices=CATEGORY_CHOICES)
    source = models.CharField(_("source"), max_length=200, blank=True)
    partner_name = models.CharField(_("partner"), max_length=120, blank=True)
    added_at = models.DateTimeField(_("added"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)
    change_seq = models.BigIntegerField(_("change number"), unique=True)
    # Where the hash came from inside this helpline: the case (and evidence file) it was reported
    # in. A later match shows "reported before, in case …"; withdrawing the case withdraws these.
    source_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="banked_hashes"
    )
    source_evidence = models.ForeignKey(
        "evidence.EvidenceItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="banked_hashes"
    )
    # The hashes of one picture (its PDQ, the 7 other rotations and flips, its MD5) share a token,
    # so they are reviewed and withdrawn together.
    picture = models.CharField(max_length=32, blank=True, default="", db_index=True)

    class Meta:
        ordering = ["-change_seq"]
        verbose_name = _("banked hash")
        constraints = [
            models.UniqueConstraint(fields=["bank", "signal_type", "value"], name="bankedhash_unique_value"),
            models.CheckConstraint(condition=Q(signal_type__in=["pdq", "md5"]), name="bankedhash_signal_type"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""), name="bankedhash_withdrawal_reason"
            ),
        ]
        indexes = [models.Index(fields=["signal_type", "value"], name="bankedhash_lookup")]

    def __str__(self) -> str:
        return f"{self.signal_type} {self.value}"

    def clean(self) -> None:
        validate_hash_value(self.signal_type, self.value)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_pending(self) -> bool:
        """A reporter's hash not yet confirmed by staff: it does not match and is not shared."""
        return self.bank.needs_review and self.reviewed_at is None and self.withdrawn_at is None


class Verdict(models.TextChoices):
    TRUE_POSITIVE = "true_positive", _("Correct match")
    FALSE_POSITIVE = "false_positive", _("Wrong match")


class ExchangePartner(BaseModel):
    """A partner (hotline, platform, exchange) calling the hash API with its own key.

    The key is shown once when made; only its SHA-256 is kept (keys are 256-bit random, so a
    plain hash is enough). ``banks`` are the banks the partner may match against and fetch.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    key_prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    can_match = models.BooleanField(_("may match hashes"), default=True)
    can_fetch = models.BooleanField(_("may fetch the change feed"), default=False)
    can_feedback = models.BooleanField(_("may send feedback"), default=True)
    active = models.BooleanField(_("active"), default=True)
    banks = models.ManyToManyField(HashBank, blank=True, related_name="partners", verbose_name=_("banks"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    rate_limit = models.CharField(
        _("rate limit"), max_length=20, blank=True, default="", help_text=_("e.g. 600/minute; empty: the default.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("exchange partner")

    def __str__(self) -> str:
        return self.name

    # DRF treats the authenticated principal like a user.
    is_authenticated = True
    is_helpline_staff = False

    def has_scope(self, scope: str) -> bool:
        return self.active and bool(getattr(self, f"can_{scope}", False))


class HashFeedback(models.Model):
    """Someone says a hash (or a match on it) was right or wrong, with who said it and when."""

    banked_hash = models.ForeignKey(BankedHash, on_delete=models.PROTECT, related_name="feedback")
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    partner = models.ForeignKey(ExchangePartner, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hash feedback")

    def __str__(self) -> str:
        return f"{self.verdict} on {self.banked_hash_id}"
