"""Awareness training: programmes, workshops, trainers, participants, attendance, quizzes, certificates.

Participants are people from the public: only what a certificate needs is kept (a name, an
optional e-mail to send it), with the consent text version they agreed to. No IP address.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aman.core.models import BaseModel

# Codes for public links: 30 letters without look-alikes. 16 for a certificate (~78 bits),
# 24 for a registration or feedback link (~118 bits).
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_link_token() -> str:
    return secrets.token_urlsafe(24)


def new_certificate_code() -> str:
    return new_code(16)


class Country(models.TextChoices):
    IRAQ = "IQ", _("Iraq")
    MOROCCO = "MA", _("Morocco")
    EGYPT = "EG", _("Egypt")
    SAUDI_ARABIA = "SA", _("Saudi Arabia")
    UAE = "AE", _("United Arab Emirates")
    KUWAIT = "KW", _("Kuwait")
    QATAR = "QA", _("Qatar")
    BAHRAIN = "BH", _("Bahrain")
    OMAN = "OM", _("Oman")


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    KURDISH = "ckb", _("Central Kurdish")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class Audience(models.TextChoices):
    PARENTS = "parents", _("Parents")
    UNIVERSITY = "university_students", _("University students")
    SCHOOL = "school_students", _("School students")
    TEACHERS = "teachers", _("Teachers")
    GOVERNMENT = "government_staff", _("Government staff")
    ACTIVISTS = "community_activists", _("Community activists")


class VenueKind(models.TextChoices):
    SCHOOL = "school", _("School")
    UNIVERSITY = "university", _("University")
    COMMUNITY_CENTRE = "community_centre", _("Community centre")
    CAMP = "camp", _("Camp for displaced people")
    GOVERNMENT = "government", _("Government office")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


class Region(BaseModel):
    """A governorate, region or emirate where workshops take place. Seeded, editable by managers."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    name_ckb = models.CharField(_("name (Central Kurdish)"), max_length=120, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["country", "name_en"]
        verbose_name = _("governorate or region")

    def __str__(self) -> str:
        return self.name_en

    def label_for(self, language: str) -> str:
        """The name in ``language``; Kurdish falls back to Arabic script, French to English."""
        fallback = {"ckb": self.name_ar, "fr": self.name_en}.get(language, self.name_ar)
        return getattr(self, f"name_{language}", "") or fallback


class Trainer(BaseModel):
    """A trainer's profile in the pool. The account (role trainer) signs in; the profile is what managers keep."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trainer_profile")
    display_name = models.CharField(_("name"), max_length=120)
    qualifications = models.TextField(_("qualifications"), blank=True, max_length=2000)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    regions = models.ManyToManyField(Region, verbose_name=_("governorates"), blank=True, related_name="trainers")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("trainer")

    def __str__(self) -> str:
        return self.display_name


class Programme(BaseModel):
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("programme")

    def __str__(self) -> str:
        return self.name


class Workshop(BaseModel):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="workshops")
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), db_index=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("region"))
    venue = models.CharField(_("venue"), max_length=200)
    venue_kind = models.CharField(_("kind of venue"), max_length=20, choices=VenueKind.choices)
    audience = models.CharField(_("audience"), max_length=24, choices=Audience.choices)
    language = models.CharField(_("language"), max_length=3, choices=Language.choices)
    capacity = models.PositiveIntegerField(_("capacity"))
    trainers = models.ManyToManyField(Trainer, blank=True, related_name="workshops", verbose_name=_("trainers"))
    registration_open = models.BooleanField(_("registration open"), default=True)
    registration_token = models.CharField(max_length=64, unique=True, default=new_link_token, editable=False)
    feedback_token = models.CharField(max_length=64, unique=True, default=new_link_token, editable=False)

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("workshop")
        constraints = [models.CheckConstraint(condition=models.Q(capacity__gte=1), name="workshop_capacity_positive")]

    def __str__(self) -> str:
        return self.title


class ParticipantSource(models.TextChoices):
    REGISTRATION = "registration", _("Public registration")
    IMPORT = "import", _("Imported")
    TRAINER = "trainer", _("Added at the venue")


class Participant(BaseModel):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    full_name = models.CharField(_("full name"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True, max_length=254)
    source = models.CharField(max_length=20, choices=ParticipantSource.choices)
    consent_version = models.CharField(max_length=20)
    consent_at = models.DateTimeField()
    present = models.BooleanField(_("present"), null=True, default=None)
    present_marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("participant")

    def __str__(self) -> str:
        return self.full_name


class AttendanceMark(models.Model):
    """One mark as entered on a trainer's phone. ``client_id`` makes a resent mark a no-op."""

    client_id = models.UUIDField(unique=True)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="marks")
    present = models.BooleanField()
    marked_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["marked_at", "id"]

    def __str__(self) -> str:
        return str(self.client_id)


class QuizPhase(models.TextChoices):
    PRE = "pre", _("Before the workshop")
    POST = "post", _("After the workshop")


class QuizResponse(BaseModel):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="quiz_responses")
    phase = models.CharField(max_length=4, choices=QuizPhase.choices)
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "phase"], name="quiz_one_per_phase")]


class Feedback(BaseModel):
    """An anonymous feedback survey answer (no participant link)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="feedback")
    overall = models.PositiveSmallIntegerField(_("overall"))
    useful = models.PositiveSmallIntegerField(_("useful"))
    recommend = models.BooleanField(_("would recommend"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)


class Certificate(BaseModel):
    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(max_length=16, unique=True, default=new_certificate_code, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class CertificateBatch(BaseModel):
    """A background job making every certificate of a workshop into one ZIP."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="certificate_batches")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    zip_name = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == BatchStatus.DONE else 0)
