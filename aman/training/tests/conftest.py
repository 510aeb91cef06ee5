from typing import Any

import pytest

from aman.accounts.models import Role
from aman.accounts.tests.factories import UserFactory
from aman.training.tests.factories import TrainerFactory, WorkshopFactory


@pytest.fixture
def manager(db: Any) -> Any:
    return UserFactory(role=Role.PROGRAMME_MANAGER, username="manager")


@pytest.fixture
def trainer(db: Any) -> Any:
    return TrainerFactory(user=UserFactory(role=Role.TRAINER, username="trainer"))


@pytest.fixture
def workshop(trainer: Any) -> Any:
    workshop = WorkshopFactory()
    workshop.trainers.add(trainer)
    return workshop


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
