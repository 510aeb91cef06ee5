"""Evidence: files a reporter or staff member attached to a case, stored encrypted.

Each stored blob (the original as received, the clean working copy, the blurred preview) is
encrypted with its own random data key (AES-256-GCM); the data key is kept here only wrapped
by a master key from the environment (envelope encryption). Destroying the wrapped keys and
the blobs is how evidence is purged.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aman.core.models import BaseModel


class EvidenceKind(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    PDF = "pdf", _("PDF document")
    TEXT = "text", _("Exported chat or text")


class OcrStatus(models.TextChoices):
    NOT_APPLICABLE = "n/a", _("Not applicable")
    PENDING = "pending", _("Waiting to be read")
    DONE = "done", _("Text read")
    EMPTY = "empty", _("No text found")
    FAILED = "failed", _("Could not be read")
    UNAVAILABLE = "unavailable", _("Text reading is not installed")


class EvidenceItem(BaseModel):
    """One file in a case's evidence, with the facts a platform or the police will ask for."""

    class AddedBy(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        STAFF = "staff", _("Staff")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    detected_type = models.CharField(_("detected type"), max_length=60)
    original_name = models.CharField(_("file name"), max_length=200, blank=True, default="")
    description = models.CharField(_("description"), max_length=500, blank=True, default="")
    added_by = models.CharField(_("added by"), max_length=10, choices=AddedBy.choices)
    added_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received"))

    # The original exactly as received: its hashes are what a court or a platform checks.
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    md5 = models.CharField("MD5", max_length=32)
    # The working copy staff see: images re-encoded without EXIF/GPS; other kinds as received.
    working_type = models.CharField(max_length=60)
    working_sha256 = models.CharField(max_length=64)
    working_size = models.PositiveBigIntegerField(default=0)
    metadata_removed = models.BooleanField(_("metadata removed"), default=False)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    pdq = models.CharField("PDQ", max_length=64, blank=True, default="", db_index=True)
    pdq_quality = models.PositiveSmallIntegerField(_("PDQ quality"), null=True, blank=True)
    pdq_dihedral = models.JSONField(default=list, blank=True)  # the 8 rotations and flips, for matching

    ocr_status = models.CharField(_("text in the image"), max_length=12, choices=OcrStatus.choices)
    ocr_text = models.TextField(blank=True, default="")
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence")
        indexes = [models.Index(fields=["case", "received_at"], name="evidence_case_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:12]}"

    @property
    def is_image(self) -> bool:
        return self.kind == EvidenceKind.IMAGE

    @property
    def low_quality_hash(self) -> bool:
        return self.pdq_quality is not None and self.pdq_quality < 50


class Blob(BaseModel):
    """One encrypted object in evidence storage. ``wrapped_key`` empty means destroyed."""

    class Role(models.TextChoices):
        ORIGINAL = "original", _("Original")
        WORKING = "working", _("Working copy")
        PACKET = "packet", _("Evidence packet")

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="blobs", null=True, blank=True)
    packet = models.ForeignKey(
        "evidence.EvidencePacket", on_delete=models.CASCADE, related_name="blobs", null=True, blank=True
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    storage_name = models.CharField(max_length=120, unique=True)
    content_type = models.CharField(max_length=60)
    size = models.PositiveBigIntegerField()
    master_key_id = models.CharField(max_length=32)
    wrapped_key = models.BinaryField(max_length=128)
    nonce = models.BinaryField(max_length=12)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "role"], name="blob_item_role_unique"),
            models.CheckConstraint(
                condition=models.Q(item__isnull=False) | models.Q(packet__isnull=False), name="blob_has_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.storage_name}"


class EvidencePacket(BaseModel):
    """A ZIP of chosen evidence for one target (a platform, the police, a hotline)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="evidence_packets")
    target = models.CharField(_("for"), max_length=120)
    language = models.CharField(max_length=8)
    items = models.ManyToManyField(EvidenceItem, related_name="packets")
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"packet {self.sha256[:12]} for {self.target}"


class SufficiencyCheck(BaseModel):
    """An agent's tick that a requirement of the evidence checklist is met (or not needed)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="sufficiency_checks")
    requirement = models.CharField(max_length=40)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "requirement"], name="sufficiency_unique")]

    def __str__(self) -> str:
        return self.requirement


class ViewerPreference(BaseModel):
    """How a staff member wants evidence images shown before they choose to look."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence_view")
    blur = models.BooleanField(_("blur images until I choose to look"), default=True)
    greyscale = models.BooleanField(_("show images in greyscale"), default=True)

    def __str__(self) -> str:
        return f"{self.user_id}: blur={self.blur} greyscale={self.greyscale}"


class HashMatch(BaseModel):
    """An evidence file whose hash matches a banked hash (known abuse material or a reporter's image)."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="hash_matches")
    banked_hash = models.ForeignKey("hashbanks.BankedHash", on_delete=models.CASCADE, related_name="+")
    signal_type = models.CharField(max_length=10)
    distance = models.PositiveSmallIntegerField()
    bank_name = models.CharField(max_length=120)
    category = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "banked_hash"], name="evidence_match_unique")]
        ordering = ["distance"]

    def __str__(self) -> str:
        return f"{self.item_id} ~ {self.banked_hash_id} ({self.distance})"
