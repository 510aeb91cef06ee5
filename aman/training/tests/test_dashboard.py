import csv
import io
from typing import Any

import pytest
from django.test import Client

from aman.training.models import Audience, Feedback, QuizResponse, Region
from aman.training.quiz import QUESTIONS
from aman.training.tests.factories import ParticipantFactory, TrainerFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def _world(size: int, manager: Any) -> None:
    trainer = TrainerFactory()
    for i in range(size):
        workshop = WorkshopFactory(
            region=Region.objects.get(code="iq-erbil" if i % 2 else "ma-souss-massa"),
            audience=Audience.PARENTS if i % 2 else Audience.UNIVERSITY,
            language="ckb" if i % 2 else "fr",
            title='=HYPERLINK("http://x")' if i == 0 else f"W{i}",
        )
        workshop.trainers.add(trainer)
        for j in range(3):
            person = ParticipantFactory(workshop=workshop, present=j < 2)
            for phase, score in (("pre", 2), ("post", 6)):
                QuizResponse.objects.create(
                    participant=person, phase=phase, score=score, total=len(QUESTIONS), recorded_by=manager
                )
        Feedback.objects.create(workshop=workshop, overall=4, useful=5, recommend=True)


@pytest.mark.parametrize("size", [2, 12])
def test_dashboard_query_count_is_constant(manager: Any, size: int, django_assert_max_num_queries: Any) -> None:
    _world(size, manager)
    client = Client()
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        response = client.get("/console/training/dashboard/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<svg") == 7
    assert "<script" not in body.split("<main", 1)[1]


def test_dashboard_figures_and_csv(manager: Any) -> None:
    _world(4, manager)
    client = Client()
    client.force_login(manager)
    client.cookies["aman_lang"] = "en"
    page = client.get("/console/training/dashboard/").content.decode()
    assert "Erbil" in page and "Souss-Massa" in page
    response = client.get("/console/training/dashboard/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_first = {r[0]: r for r in rows if r}
    assert by_first["Erbil"][1:] == ["2", "6", "4"]
    gain = next(r for r in rows if r and r[0] == "Parents" and len(r) == 6)
    assert float(gain[1]) == pytest.approx(round(100 * 4 / len(QUESTIONS), 1), abs=0.2)
    text = response.content.decode("utf-8-sig")
    assert "\n=" not in text and ",=" not in text


def test_dashboard_filters_by_country(manager: Any) -> None:
    _world(4, manager)
    client = Client()
    client.force_login(manager)
    client.cookies["aman_lang"] = "en"
    page = client.get("/console/training/dashboard/?country=IQ").content.decode()
    assert "Erbil" in page and "Souss-Massa" not in page
    assert client.get("/console/training/dashboard/?since=not-a-date&country=<x>").status_code == 200


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_bar_labels_sit_beside_the_bars_in_both_directions(language: str) -> None:
    import re

    from django.utils import translation

    from aman.training.dashboard import bar_chart

    with translation.override(language):
        svg = str(bar_chart([("بغداد <b>", 4.0), ("Erbil", 2.0)]))
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    for rect_x, width, label_x in re.findall(r'<rect x="(\d+)" y="\d+" width="(\d+)".*?<text x="(\d+)"', svg):
        bar_start, bar_end, label = int(rect_x), int(rect_x) + int(width), int(label_x)
        assert label > bar_end if language == "ar" else label < bar_start
