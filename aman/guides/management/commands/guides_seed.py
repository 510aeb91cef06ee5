"""Load the guide seed files. Idempotent and safe on every deploy: creates what is missing and
never overwrites a language a staff member has edited."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aman.guides.definitions import DefinitionError, risk_questionnaire, seed_dir, selfcheck_get, selfcheck_platforms
from aman.guides.services import guides_seed


class Command(BaseCommand):
    help = "Load the safety guides from the seed files (idempotent; staff edits are never overwritten)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", default="", help="Seed directory (default: settings.AMAN_GUIDES_SEED_DIR or aman/guides/seed)"
        )
        parser.add_argument("--strict", action="store_true", help="Fail when any seed file is malformed")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["dir"]) if options["dir"] else seed_dir()
        if not directory.is_dir():
            self.stdout.write(f"No guide seed directory at {directory}; nothing to load.")
            return
        report = guides_seed(directory=directory)
        problems = list(report.problems)
        if not options["dir"]:
            # The self-checks and the questionnaire are read from the files at run time: check them now.
            for platform in selfcheck_platforms():
                try:
                    selfcheck_get(platform)
                except DefinitionError as exc:
                    problems.append(f"selfcheck/{platform}.json: {exc}")
            try:
                risk_questionnaire()
            except DefinitionError as exc:
                problems.append(f"risk_assessment.json: {exc}")
        for problem in problems:
            self.stderr.write(f"Skipped: {problem}")
        self.stdout.write(
            f"Guides: {len(report.created_guides)} created; texts: {len(report.created_texts)} created, "
            f"{len(report.updated_texts)} updated from the files, {len(report.kept_staff_texts)} kept (staff edits)."
        )
        if problems and options["strict"]:
            raise CommandError(f"{len(problems)} seed file(s) malformed")
