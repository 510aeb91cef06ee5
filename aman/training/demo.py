"""Synthetic demo data for training: a programme manager, a trainer, a programme, workshops and
participants (invented names). Idempotent: nothing is loaded twice.

Demo sign-ins: ``manager`` / ``manager-demo-2026`` (programme manager) and
``trainer`` / ``trainer-demo-2026`` (trainer).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from aman.accounts.models import Role, User
from aman.training.models import (
    Audience,
    Feedback,
    Participant,
    ParticipantSource,
    Programme,
    QuizResponse,
    Region,
    Trainer,
    VenueKind,
    Workshop,
)
from aman.training.quiz import QUESTIONS
from aman.training.services import CONSENT_VERSION

PROGRAMME_NAME = "Safely Together 2026 (demo)"

FIRST_NAMES = {
    "ar": ["سلمى", "كريم", "هدى", "عمر", "ليلى", "يوسف", "نور", "آدم", "مريم", "زيد"],
    "ckb": ["ژیان", "ئاراس", "هێمن", "شیلان", "ڕێبین", "نازدار", "کاروان", "سۆزان", "دیار", "بەفرین"],
    "fr": ["Amina", "Yassine", "Salma", "Mehdi", "Nadia", "Rachid", "Imane", "Karim", "Sara", "Anas"],
    "en": ["Sam", "Alex", "Maya", "Noor", "Rami", "Dana", "Omar", "Lina", "Jad", "Tala"],
}
LAST_NAMES = {
    "ar": ["التجريبي", "المثال", "العيّنة"],
    "ckb": ["نموونە", "تاقیکاری", "ئەزموونی"],
    "fr": ["Exemple", "Démo", "Fictif"],
    "en": ["Example", "Demo", "Sample"],
}

WORKSHOPS = [
    # title, days from today, region, venue, kind, audience, language, capacity, participants, present
    (
        "معاً بأمان: حماية أطفالنا على الإنترنت",
        -20,
        "iq-baghdad",
        "مركز شباب الكرادة",
        VenueKind.COMMUNITY_CENTRE,
        Audience.PARENTS,
        "ar",
        40,
        24,
        20,
    ),
    (
        "پێکەوە بە سەلامەتی: ئاسایشی ئۆنلاین",
        -12,
        "iq-duhok",
        "کەمپی دۆمیز",
        VenueKind.CAMP,
        Audience.PARENTS,
        "ckb",
        35,
        18,
        15,
    ),
    (
        "Ensemble en sécurité : vie privée et chantage en ligne",
        -5,
        "ma-rabat-sale-kenitra",
        "Université Mohammed V",
        VenueKind.UNIVERSITY,
        Audience.UNIVERSITY,
        "fr",
        60,
        30,
        26,
    ),
    (
        "معاً بأمان: الأمان الرقمي للمعلمين",
        7,
        "eg-alexandria",
        "مدرسة الشاطبي",
        VenueKind.SCHOOL,
        Audience.TEACHERS,
        "ar",
        30,
        9,
        0,
    ),
    (
        "Safely Together: official accounts",
        14,
        "ae-dubai",
        "Government media office",
        VenueKind.GOVERNMENT,
        Audience.GOVERNMENT,
        "en",
        25,
        5,
        0,
    ),
]


def _user(username: str, password: str, role: str, first_name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, first_name=first_name)
        user.set_password(password)
        user.save()
    return user


def load(stdout: Any) -> None:
    if Programme.objects.filter(name=PROGRAMME_NAME).exists():
        stdout.write("Training demo already loaded.")
        return
    with transaction.atomic():
        manager = _user("manager", "manager-demo-2026", Role.PROGRAMME_MANAGER, "Rania")
        trainer_user = _user("trainer", "trainer-demo-2026", Role.TRAINER, "Nour")
        trainer, _ = Trainer.objects.get_or_create(
            user=trainer_user,
            defaults={
                "display_name": "Nour (demo trainer)",
                "qualifications": "Online-safety trainer, child protection course (demo profile).",
                "languages": ["ar", "ckb", "en"],
            },
        )
        trainer.regions.set(Region.objects.filter(code__in=["iq-baghdad", "iq-duhok", "iq-erbil"]))
        second = Trainer.objects.get_or_create(
            user=_user("trainer2", "trainer2-demo-2026", Role.TRAINER, "Yassine"),
            defaults={"display_name": "Yassine (demo trainer)", "languages": ["fr", "ar"]},
        )[0]
        second.regions.set(Region.objects.filter(country="MA"))
        today = timezone.localdate()
        programme = Programme.objects.create(
            name=PROGRAMME_NAME,
            description="Nationwide awareness workshops for parents and students (synthetic demo data).",
            starts_on=today - datetime.timedelta(days=60),
            ends_on=today + datetime.timedelta(days=120),
            created_by=manager,
        )
        now = timezone.now()
        for n, (title, days, region, venue, kind, audience, language, capacity, count, present) in enumerate(WORKSHOPS):
            workshop = Workshop.objects.create(
                programme=programme,
                title=title,
                date=today + datetime.timedelta(days=days),
                region=Region.objects.get(code=region),
                venue=venue,
                venue_kind=kind,
                audience=audience,
                language=language,
                capacity=capacity,
            )
            workshop.trainers.add(second if language == "fr" else trainer)
            firsts, lasts = FIRST_NAMES[language], LAST_NAMES[language]
            people = Participant.objects.bulk_create(
                [
                    Participant(
                        workshop=workshop,
                        full_name=f"{firsts[i % len(firsts)]} {lasts[i % len(lasts)]} {i + 1}",
                        source=ParticipantSource.REGISTRATION if i % 3 else ParticipantSource.IMPORT,
                        consent_version=CONSENT_VERSION,
                        consent_at=now,
                        present=(i < present) if days < 0 else None,
                        present_marked_at=now if days < 0 else None,
                    )
                    for i in range(count)
                ]
            )
            if days < 0:
                for i, person in enumerate(people[:present]):
                    pre = 2 + (i + n) % 3
                    post = min(len(QUESTIONS), pre + 2 + i % 3)
                    for phase, score in (("pre", pre), ("post", post)):
                        QuizResponse.objects.create(
                            participant=person,
                            phase=phase,
                            answers={},
                            score=score,
                            total=len(QUESTIONS),
                            recorded_by=trainer_user,
                        )
                Feedback.objects.bulk_create(
                    [
                        Feedback(workshop=workshop, overall=4 + (i % 2), useful=3 + (i % 3), recommend=i % 5 != 0)
                        for i in range(present // 2)
                    ]
                )
    stdout.write("Loaded the training demo: sign in as manager / manager-demo-2026 or trainer / trainer-demo-2026.")
