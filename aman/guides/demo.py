"""Demo data for the guides: the seed guides (the team's real content), loaded idempotently."""

from typing import Any

from django.core.management import call_command


def load(stdout: Any) -> None:
    call_command("guides_seed", stdout=stdout)
