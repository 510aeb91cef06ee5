"""Import a large hash list into a bank from the command line: all or nothing.

    manage.py hashes_import --bank "Partner list" --format text hashes.txt
    manage.py hashes_import --bank 3 --format csv --source "hotline 2026-11" list.csv
    zcat big.txt.gz | manage.py hashes_import --bank 3 --format text -

The file is read as a stream (one line at a time, never whole in memory) and inserted with
bulk_create in batches (``--batch``, 5,000 by default), inside ONE transaction: if any line is
malformed nothing is kept, and the bad lines are listed by number (the first 100, and the total).
Fix them and run it again; a hash already in the bank (from an earlier run, or repeated in the
file) is counted and skipped, so running the same file twice is safe. Progress goes to standard
error after each batch. The import is audited like the console's (``hashbank.imported``).

Why all or nothing rather than resumable: a partial list would be shared with partners and
matched as if complete, and re-running is cheap because existing hashes are skipped.
"""

import sys
import time
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aman.hashbanks import errors, services
from aman.hashbanks.models import HashBank

EXIT_BAD_LINES = 1


class Command(BaseCommand):
    help = "Import a hash list (ThreatExchange signal lines or CSV) into a bank, all or nothing, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The list to import, or - for standard input.")
        parser.add_argument("--bank", required=True, help="The bank's id or exact name.")
        parser.add_argument("--format", choices=["text", "csv"], default="text", dest="fmt")
        parser.add_argument("--source", default="", help="Provenance written on every new hash.")
        parser.add_argument("--batch", type=int, default=services.IMPORT_BATCH, help="Rows per insert.")
        parser.add_argument("--quiet", action="store_true", help="No progress lines.")

    def _bank(self, value: str) -> HashBank:
        bank = HashBank.objects.filter(pk=int(value)).first() if value.isdigit() else None
        bank = bank or HashBank.objects.filter(name=value).first()
        if bank is None:
            raise CommandError(f"No bank with the id or name {value!r}.")
        return bank

    def handle(self, *args: Any, **options: Any) -> None:
        bank = self._bank(options["bank"])
        if not 1 <= options["batch"] <= 100_000:
            raise CommandError("--batch must be between 1 and 100000.")
        started = time.monotonic()
        quiet = options["quiet"]

        def progress(result: services.ImportResult) -> None:
            if not quiet:
                rate = result.lines / max(time.monotonic() - started, 1e-9)
                self.stderr.write(
                    f"{result.lines:,} lines read, {result.added:,} added, "
                    f"{result.already_present:,} already present ({rate:,.0f} lines/s)"
                )

        path = options["file"]
        stream: IO[bytes]
        if path == "-":
            stream = sys.stdin.buffer
        else:
            try:
                stream = Path(path).open("rb")  # noqa: SIM115 - closed below
            except OSError as exc:
                raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        try:
            result = services.hashes_import(
                bank=bank,
                stream=stream,
                fmt=options["fmt"],
                source=options["source"],
                acting_user=None,
                batch_size=options["batch"],
                progress=progress,
            )
        except errors.ImportFailed as exc:
            for line, reason in exc.errors:
                self.stderr.write(f"line {line}: {reason}")
            self.stderr.write(
                f"Nothing was imported: {exc.error_count:,} malformed lines"
                + (f" (the first {len(exc.errors)} are listed)" if exc.error_count > len(exc.errors) else "")
                + "."
            )
            sys.exit(EXIT_BAD_LINES)
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Imported into {bank.name!r}: {result.lines:,} lines, {result.added:,} added, "
            f"{result.already_present:,} already in the bank, {result.duplicates_in_file:,} repeated in the file, "
            f"{result.withdrawn:,} withdrawn; {seconds:.1f} s."
        )
