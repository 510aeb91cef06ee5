"""Every write of the guides app. Each runs in one transaction and ends with an audit event."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aman.accounts.models import User
from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.cases.models import Case, Message
from aman.cases.services import case_message_send
from aman.core.text import clean_user_text
from aman.guides import errors
from aman.guides.choices import LANGUAGES, OrganisationKind, Topic, VersionState
from aman.guides.definitions import RiskQuestionnaire, SelfCheck
from aman.guides.models import Assessment, Guide, GuideVersion, Organisation, SelfCheckResult, delimited
from aman.guides.permissions import can_publish_guides, can_run_assessments, can_write_guides
from aman.guides.rendering import MAX_MARKDOWN, version_html_forget
from aman.guides.scoring import CHECK_ANSWERS, risk_register
from aman.guides.search import index_text
from aman.guides.seed import SeedText, read_guides


def _search_text(title: str, summary: str, body: str) -> str:
    return index_text(f"{title}\n{summary}\n{body}")


def _next_number(guide: Guide, language: str) -> int:
    current = guide.versions.filter(language=language).aggregate(n=Max("number"))["n"]
    return (current or 0) + 1


# ---------------------------------------------------------------- guides


@transaction.atomic
def guide_create(
    *, slug: str, topic: str, platforms: list[str], categories: list[str], order: int, acting_user: User
) -> Guide:
    if not can_publish_guides(acting_user):
        raise errors.NotAllowed()
    if topic not in Topic.values:
        raise errors.NotAllowed()
    if Guide.objects.filter(slug=slug).exists():
        raise errors.SlugTaken()
    guide = Guide.objects.create(
        slug=slug, topic=topic, platforms=delimited(platforms), categories=delimited(categories), order=order
    )
    audit_record(event_type=EventType.GUIDE_CREATED, actor=acting_user, data={"guide": slug})
    return guide


@transaction.atomic
def guide_update(
    *, guide: Guide, topic: str, platforms: list[str], categories: list[str], order: int, acting_user: User
) -> Guide:
    if not can_publish_guides(acting_user):
        raise errors.NotAllowed()
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    guide.topic = topic
    guide.platforms = delimited(platforms)
    guide.categories = delimited(categories)
    guide.order = order
    guide.meta_from_seed = False  # from now on the seed loader leaves these details alone
    guide.save()
    audit_record(
        event_type=EventType.GUIDE_CHANGED,
        actor=acting_user,
        data={"guide": guide.slug, "topic": topic, "platforms": guide.platform_list, "categories": guide.category_list},
    )
    return guide


@transaction.atomic
def guide_draft_save(
    *, guide: Guide, language: str, title: str, summary: str, body_markdown: str, acting_user: User
) -> GuideVersion:
    """Editing never changes a version: it adds a new draft, numbered after the newest."""
    if not can_write_guides(acting_user):
        raise errors.NotAllowed()
    if language not in LANGUAGES:
        raise errors.NotAllowed()
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    title = clean_user_text(title)[:200]
    summary = clean_user_text(summary)[:1000]
    body = clean_user_text(body_markdown)[:MAX_MARKDOWN]
    version = GuideVersion.objects.create(
        guide=guide,
        language=language,
        number=_next_number(guide, language),
        title=title,
        summary=summary,
        body_markdown=body,
        state=VersionState.DRAFT,
        author=acting_user,
        search_text=_search_text(title, summary, body),
    )
    audit_record(
        event_type=EventType.GUIDE_DRAFT_SAVED,
        actor=acting_user,
        data={"guide": guide.slug, "language": language, "version": version.number},
    )
    return version


def _lock_latest(version: GuideVersion) -> GuideVersion:
    Guide.objects.select_for_update().get(pk=version.guide_id)
    version = GuideVersion.objects.select_related("guide").get(pk=version.pk)
    newest = GuideVersion.objects.filter(guide_id=version.guide_id, language=version.language).aggregate(
        n=Max("number")
    )["n"]
    if version.number != newest:
        raise errors.NotLatestVersion()
    return version


@transaction.atomic
def guide_version_review(*, version: GuideVersion, acting_user: User) -> GuideVersion:
    if not can_publish_guides(acting_user):
        raise errors.NotAllowed()
    version = _lock_latest(version)
    if version.state != VersionState.DRAFT:
        raise errors.VersionNotDraft()
    version.state = VersionState.REVIEWED
    version.reviewer = acting_user
    version.reviewed_at = timezone.now()
    version.save()
    audit_record(
        event_type=EventType.GUIDE_REVIEWED,
        actor=acting_user,
        data={"guide": version.guide.slug, "language": version.language, "version": version.number},
    )
    return version


def _publish(version: GuideVersion, now: Any) -> int | None:
    """Retire the published version of the same language and publish this one."""
    previous = (
        GuideVersion.objects.select_for_update()
        .filter(guide_id=version.guide_id, language=version.language, state=VersionState.PUBLISHED)
        .first()
    )
    if previous is not None:
        previous.state = VersionState.SUPERSEDED
        previous.save(update_fields=["state", "updated_at"])
        version_html_forget(previous.pk)
    version.state = VersionState.PUBLISHED
    version.published_at = now
    version.save()
    version_html_forget(version.pk)
    return previous.number if previous else None


@transaction.atomic
def guide_version_publish(*, version: GuideVersion, acting_user: User) -> GuideVersion:
    if not can_publish_guides(acting_user):
        raise errors.NotAllowed()
    version = _lock_latest(version)
    if version.state not in (VersionState.DRAFT, VersionState.REVIEWED):
        raise errors.VersionNotDraft()
    now = timezone.now()
    if version.reviewer_id is None:
        version.reviewer = acting_user
        version.reviewed_at = now
    replaced = _publish(version, now)
    audit_record(
        event_type=EventType.GUIDE_PUBLISHED,
        actor=acting_user,
        data={
            "guide": version.guide.slug,
            "language": version.language,
            "version": version.number,
            "replaced": replaced,
        },
    )
    return version


# ---------------------------------------------------------------- seed


@dataclass
class SeedReport:
    created_guides: list[str] = field(default_factory=list)
    created_texts: list[str] = field(default_factory=list)
    updated_texts: list[str] = field(default_factory=list)
    kept_staff_texts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created_guides or self.created_texts or self.updated_texts)


def _seed_text(guide: Guide, text: SeedText, report: SeedReport, now: Any) -> None:
    label = f"{guide.slug}/{text.language}"
    versions = list(guide.versions.filter(language=text.language).order_by("-number"))
    if any(not v.is_from_seed for v in versions):
        report.kept_staff_texts.append(label)  # staff have edited this language: never overwrite
        return
    if versions and versions[0].seed_hash == text.sha256:
        return
    version = GuideVersion(
        guide=guide,
        language=text.language,
        number=(versions[0].number + 1) if versions else 1,
        title=text.title,
        summary=text.summary,
        body_markdown=text.body,
        seed_hash=text.sha256,
        search_text=_search_text(text.title, text.summary, text.body),
    )
    _publish(version, now)
    (report.updated_texts if versions else report.created_texts).append(label)


@transaction.atomic
def guides_seed(*, directory: Path) -> SeedReport:
    """Create the guides and texts of the seed files that are missing; update a text only while
    no staff member has edited that language. Safe to run on every deploy."""
    seeds, problems = read_guides(directory)
    report = SeedReport(problems=problems)
    now = timezone.now()
    for seed in seeds:
        guide = Guide.objects.select_for_update().filter(slug=seed.slug).first()
        meta = {
            "topic": seed.topic,
            "platforms": delimited(list(seed.platforms)),
            "categories": delimited(list(seed.categories)),
            "order": seed.order,
        }
        if guide is None:
            guide = Guide.objects.create(slug=seed.slug, meta_from_seed=True, **meta)
            report.created_guides.append(seed.slug)
        elif guide.meta_from_seed and any(getattr(guide, k) != v for k, v in meta.items()):
            for key, value in meta.items():
                setattr(guide, key, value)
            guide.save()
        for text in seed.texts:
            _seed_text(guide, text, report, now)
    if report.changed:
        audit_record(
            event_type=EventType.GUIDE_SEEDED,
            actor_label="seed",
            data={
                "created_guides": report.created_guides,
                "created_texts": report.created_texts,
                "updated_texts": report.updated_texts,
            },
        )
    return report


# ---------------------------------------------------------------- sending a guide to a reporter


def guide_message_text(*, version: GuideVersion, link: str, language: str) -> str:
    with translation.override(language):
        return _("Here is a guide that can help you right now:\n\n%(title)s\n%(summary)s\n\nRead it here: %(link)s") % {
            "title": version.title,
            "summary": version.summary,
            "link": link,
        }


def guide_send_to_case(*, case: Case, version: GuideVersion, link: str, acting_user: User) -> Message:
    """A message to the reporter, in the case's language, with the guide's title, summary and
    public link; sent (and audited) by the cases service."""
    if version.state != VersionState.PUBLISHED or version.language != case.language:
        raise errors.GuideNotAvailable()
    body = guide_message_text(version=version, link=link, language=case.language)
    return case_message_send(case=case, body=body, acting_user=acting_user)


# ---------------------------------------------------------------- self-check results


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def selfcheck_result_save(*, check: SelfCheck, answers: dict[str, str]) -> str:
    """Keep a result because the person asked: only the platform and the answers. Returns the
    token of the short link (about 96 random bits); only its hash is stored."""
    clean = {q.id: answers[q.id] for q in check.questions if answers.get(q.id) in CHECK_ANSWERS}
    token = secrets.token_urlsafe(12)
    SelfCheckResult.objects.create(token_hash=_token_hash(token), platform=check.platform, answers=clean)
    return token


def selfcheck_result_get(*, token: str) -> SelfCheckResult | None:
    if not token or len(token) > 64:
        return None
    return SelfCheckResult.objects.filter(token_hash=_token_hash(token)).first()


def selfcheck_result_delete(*, token: str) -> bool:
    if not token or len(token) > 64:
        return False
    deleted, _unused = SelfCheckResult.objects.filter(token_hash=_token_hash(token)).delete()
    return deleted > 0


# ---------------------------------------------------------------- organisations and assessments


@transaction.atomic
def organisation_create(*, name: str, kind: str, acting_user: User) -> Organisation:
    if not can_run_assessments(acting_user):
        raise errors.NotAllowed()
    if kind not in OrganisationKind.values:
        raise errors.NotAllowed()
    organisation = Organisation.objects.create(name=clean_user_text(name)[:200], kind=kind, created_by=acting_user)
    audit_record(
        event_type=EventType.ORGANISATION_CREATED,
        actor=acting_user,
        data={"organisation": organisation.pk, "kind": kind},
    )
    return organisation


@transaction.atomic
def assessment_create(
    *,
    organisation: Organisation,
    questionnaire: RiskQuestionnaire,
    answers: dict[str, str],
    language: str,
    acting_user: User,
) -> Assessment:
    if not can_run_assessments(acting_user):
        raise errors.NotAllowed()
    if language not in LANGUAGES:
        language = "ar"
    register = risk_register(questionnaire, answers)
    assessment = Assessment.objects.create(
        organisation=organisation,
        language=language,
        definition_version=questionnaire.version,
        answers=answers,
        register=register,
        created_by=acting_user,
    )
    audit_record(
        event_type=EventType.ASSESSMENT_SAVED,
        actor=acting_user,
        data={
            "organisation": organisation.pk,
            "assessment": assessment.pk,
            "scores": {row["risk"]: row["score"] for row in register},
        },
    )
    return assessment


def assessment_export_record(*, assessment: Assessment, acting_user: User) -> None:
    audit_record(
        event_type=EventType.ASSESSMENT_EXPORTED,
        actor=acting_user,
        data={"organisation": assessment.organisation_id, "assessment": assessment.pk},
    )
