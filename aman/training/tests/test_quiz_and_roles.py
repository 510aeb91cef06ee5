from typing import Any

import pytest
from django.test import Client

from aman.accounts.models import Role
from aman.accounts.tests.factories import PASSWORD, UserFactory
from aman.training.models import QuizResponse
from aman.training.quiz import QUESTIONS, quiz_score
from aman.training.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_question_bank_is_complete_in_four_languages() -> None:
    assert len(QUESTIONS) >= 6
    for question in QUESTIONS:
        assert set(question.text) == {"ar", "ckb", "fr", "en"}
        assert all(set(option) == {"ar", "ckb", "fr", "en"} for option in question.options)
        assert 0 <= question.answer < len(question.options)
    assert quiz_score({q.id: q.answer for q in QUESTIONS}) == len(QUESTIONS)


def _answers(right: int) -> dict[str, str]:
    return {
        f"q_{q.id}": str(q.answer if i < right else (q.answer + 1) % len(q.options)) for i, q in enumerate(QUESTIONS)
    }


def test_trainer_records_pre_and_post_quiz_once_each(trainer: Any, workshop: Any) -> None:
    person = ParticipantFactory(workshop=workshop)
    client = Client()
    client.force_login(trainer.user)
    page = client.get(f"/console/training/workshops/{workshop.pk}/quiz/pre/").content.decode()
    assert QUESTIONS[0].text["ar"] in page  # the workshop's language
    url = f"/console/training/workshops/{workshop.pk}/quiz/"
    assert client.post(url + "pre/", {"participant": person.pk, **_answers(3)}).status_code == 302
    assert client.post(url + "post/", {"participant": person.pk, **_answers(len(QUESTIONS))}).status_code == 302
    assert client.post(url + "pre/", {"participant": person.pk, **_answers(0)}).status_code == 400  # once per phase
    scores = dict(QuizResponse.objects.values_list("phase", "score"))
    assert scores == {"pre": 3, "post": len(QUESTIONS)}
    assert client.get(url + "middle/").status_code == 404


@pytest.mark.parametrize(
    "bad", [{"q_two-factor": "7"}, {"q_two-factor": ""}, {"participant": "999999"}, {"participant": "<x>"}]
)
def test_quiz_refuses_bad_answers(trainer: Any, workshop: Any, bad: dict[str, str]) -> None:
    person = ParticipantFactory(workshop=workshop)
    client = Client()
    client.force_login(trainer.user)
    data = {"participant": str(person.pk), **_answers(2), **bad}
    assert client.post(f"/console/training/workshops/{workshop.pk}/quiz/pre/", data).status_code == 400
    assert not QuizResponse.objects.exists()


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.TRAINER, "/console/training/"),
        (Role.PROGRAMME_MANAGER, "/console/training/"),
        (Role.AGENT, "/console/"),
        (Role.ADMIN, "/console/"),
    ],
)
def test_each_role_lands_on_its_home(role: str, home: str) -> None:
    UserFactory(role=role, username="someone")
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": "someone", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == home
    page = client.get(home).content.decode()
    assert f'class="brand" href="{home}"' in page


def test_trainer_sent_to_the_queue_first_still_lands_on_training() -> None:
    UserFactory(role=Role.TRAINER, username="trainer1")
    response = Client().post(
        "/accounts/sign-in/?next=/console/", {"username": "trainer1", "password": PASSWORD, "next": "/console/"}
    )
    assert response["Location"] == "/console/training/"


def test_training_link_only_for_training_roles(trainer: Any, manager: Any) -> None:
    for user, shown in (
        (trainer.user, True),
        (manager, True),
        (UserFactory(role=Role.ADMIN), True),
        (UserFactory(role=Role.AGENT), False),
    ):
        client = Client()
        client.force_login(user)
        home = "/console/training/" if shown and user.role != Role.ADMIN else "/console/"
        page = client.get(home).content.decode()
        assert ('href="/console/training/">' in page) is shown
        assert ('href="/console/">' in page) is (user.role in (Role.AGENT, Role.ADMIN))


def test_inactive_training_roles_cannot_sign_in() -> None:
    UserFactory(role=Role.TRAINER, username="gone", is_active=False)
    assert Client().post("/accounts/sign-in/", {"username": "gone", "password": PASSWORD}).status_code == 200
