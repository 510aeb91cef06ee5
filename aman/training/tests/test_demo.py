import io

import pytest
from django.test import Client

from aman.training import demo
from aman.training.models import Participant, Programme, Workshop

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_its_people_can_sign_in() -> None:
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    assert Programme.objects.count() == 1 and Workshop.objects.count() == len(demo.WORKSHOPS)
    assert Participant.objects.filter(present=True).exists()
    for username, password in (("manager", "manager-demo-2026"), ("trainer", "trainer-demo-2026")):
        response = Client().post("/accounts/sign-in/", {"username": username, "password": password})
        assert response.status_code == 302 and response["Location"] == "/console/training/"
