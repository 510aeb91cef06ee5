import datetime

import factory
from django.utils import timezone

from aman.accounts.models import Role
from aman.accounts.tests.factories import UserFactory
from aman.training.models import (
    Audience,
    Language,
    Participant,
    ParticipantSource,
    Programme,
    Region,
    Trainer,
    VenueKind,
    Workshop,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Safely Together {n}")
    created_by = factory.SubFactory(UserFactory, role=Role.PROGRAMME_MANAGER)


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainer

    user = factory.SubFactory(UserFactory, role=Role.TRAINER)
    display_name = factory.Sequence(lambda n: f"Trainer {n}")
    languages = factory.LazyFunction(lambda: ["ar"])


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"ورشة معاً بأمان {n}")
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3))
    region = factory.LazyFunction(
        lambda: Region.objects.get_or_create(
            code="iq-baghdad", defaults={"country": "IQ", "name_ar": "بغداد", "name_en": "Baghdad", "name_fr": "Bagdad"}
        )[0]
    )
    venue = "مركز الشباب"
    venue_kind = VenueKind.COMMUNITY_CENTRE
    audience = Audience.PARENTS
    language = Language.ARABIC
    capacity = 30


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    workshop = factory.SubFactory(WorkshopFactory)
    full_name = factory.Sequence(lambda n: f"مشارك تجريبي {n}")
    source = ParticipantSource.REGISTRATION
    consent_version = "2026-01"
    consent_at = factory.LazyFunction(timezone.now)
