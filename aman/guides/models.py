"""Guides with a version per language and edit, self-check results saved on request, and
official-account risk assessments per organisation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aman.core.models import BaseModel
from aman.guides.choices import OrganisationKind, Topic, VersionState


class Guide(BaseModel):
    """A safety guide. Its text lives in versions, one series per language."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    # Comma-delimited with a leading and trailing comma (",tiktok,x,") so `contains` finds one code.
    platforms = models.CharField(_("platforms"), max_length=200, blank=True, default="")
    categories = models.CharField(_("harm categories"), max_length=400, blank=True, default="")
    order = models.IntegerField(_("order"), default=100)
    # True while the topic, platforms and categories come from the seed files; a staff edit stops
    # the seed loader from changing them.
    meta_from_seed = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.slug

    @property
    def platform_list(self) -> list[str]:
        return [p for p in self.platforms.split(",") if p]

    @property
    def category_list(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]


def delimited(codes: list[str]) -> str:
    codes = [c for c in dict.fromkeys(codes) if c]
    return f",{','.join(codes)}," if codes else ""


class GuideVersion(BaseModel):
    """One immutable text of a guide in one language. Editing adds a new draft version."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=8)
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000)
    body_markdown = models.TextField(_("text (Markdown)"))
    state = models.CharField(_("state"), max_length=12, choices=VersionState.choices, default=VersionState.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the seed file this version was loaded from; empty for versions written by staff.
    seed_hash = models.CharField(max_length=64, blank=True, default="")
    search_text = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["guide", "language", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "language", "number"], name="guide_version_number_unique"),
            models.UniqueConstraint(
                fields=["guide", "language"],
                condition=models.Q(state=VersionState.PUBLISHED),
                name="guide_one_published_per_language",
            ),
        ]
        indexes = [models.Index(fields=["language", "state"], name="guide_version_state_idx")]

    def __str__(self) -> str:
        return f"{self.guide.slug} {self.language} v{self.number}"

    @property
    def is_from_seed(self) -> bool:
        return bool(self.seed_hash)


class SelfCheckResult(BaseModel):
    """A self-check result kept only because the person asked. No personal data: the platform and
    the yes/no answers. Reached by a short random link whose hash alone is stored."""

    token_hash = models.CharField(max_length=64, unique=True)
    platform = models.CharField(max_length=20)
    answers = models.JSONField(default=dict)


class Organisation(BaseModel):
    """A government or institutional team that runs official accounts."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Assessment(BaseModel):
    """One run of the official-account questionnaire and the risk register it produced."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assessments")
    language = models.CharField(_("language of the report"), max_length=8)
    definition_version = models.PositiveIntegerField(default=1)
    answers = models.JSONField(default=dict)
    register = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
