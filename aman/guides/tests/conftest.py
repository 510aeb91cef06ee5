import pytest

from aman.guides.tests.factories import FIXTURE_SEED


@pytest.fixture(autouse=True)
def _fixture_seed_dir(settings) -> None:  # type: ignore[no-untyped-def]
    """Tests read the small synthetic seed, not the team's content (which changes)."""
    settings.AMAN_GUIDES_SEED_DIR = str(FIXTURE_SEED)


@pytest.fixture
def seeded(db):  # type: ignore[no-untyped-def]
    from aman.guides.services import guides_seed

    return guides_seed(directory=FIXTURE_SEED)
