"""Guide test data: synthetic only, through the services where a service exists."""

from pathlib import Path
from typing import Any

import factory

from aman.guides.choices import Topic, VersionState
from aman.guides.models import Guide, GuideVersion, Organisation, delimited
from aman.guides.search import index_text

FIXTURE_SEED = Path(__file__).resolve().parent / "fixtures" / "seed"


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guide

    slug = factory.Sequence(lambda n: f"guide-{n}")
    topic = Topic.SECURE_ACCOUNT
    platforms = delimited(["instagram"])
    categories = delimited(["account_compromise"])
    order = 100


def published_version(guide: Guide, language: str = "ar", **fields: Any) -> GuideVersion:
    """A published version written by nobody in particular (like a seed text)."""
    number = (guide.versions.filter(language=language).count() or 0) + 1
    data = {
        "title": f"Guide {guide.slug} {language}",
        "summary": "A short synthetic summary.",
        "body_markdown": "## Step\n\n- Do this.",
        **fields,
    }
    return GuideVersion.objects.create(
        guide=guide,
        language=language,
        number=number,
        state=VersionState.PUBLISHED,
        search_text=index_text(f"{data['title']}\n{data['summary']}\n{data['body_markdown']}"),
        seed_hash="x" * 64,
        **data,
    )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Synthetic ministry {n}")
    kind = "ministry"
