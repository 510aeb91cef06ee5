"""Fail when a translation is missing, fuzzy or stale, or a compiled catalogue is out of date.

Checks the project catalogue (locale/) and every app catalogue (aman/<app>/locale/).

Runs makemessages (so strings added to the code appear in the .po files), then checks that
Arabic, French and Central Kurdish translate every message, and that each .mo matches its .po.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ["ar", "fr", "ckb"]
LANGUAGES = [*REQUIRED, "en"]


def _entries(path: Path) -> set[tuple[str, str, str, tuple[tuple[int, str], ...]]]:
    return {
        (e.msgctxt or "", e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(path)).translated_entries()
    }


def _catalogues(lang: str) -> list[Path]:
    """The project catalogue and each app's own (``aman/<app>/locale``)."""
    roots = [ROOT / "locale", *sorted((ROOT / "aman").glob("*/locale"))]
    return [root / lang / "LC_MESSAGES" / "django.po" for root in roots]


def _check(po_path: Path, lang: str) -> list[str]:
    problems: list[str] = []
    where = po_path.relative_to(ROOT)
    if not po_path.exists():  # an app with no strings of its own yet
        return []
    po = polib.pofile(str(po_path))
    if lang in REQUIRED:
        for entry in po.untranslated_entries():
            problems.append(f"{where}: untranslated: {entry.msgid[:70]!r}")
        for entry in po.fuzzy_entries():
            problems.append(f"{where}: fuzzy: {entry.msgid[:70]!r}")
    mo_path = po_path.with_suffix(".mo")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        po.save_as_mofile(str(fresh))
        if not mo_path.exists() or _entries(mo_path) != _entries(fresh):
            problems.append(f"{mo_path.relative_to(ROOT)} is stale: run `make messages`")
    return problems


def main() -> int:
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--no-obsolete",
            "--no-location",
            *[arg for lang in LANGUAGES for arg in ("-l", lang)],
            "--ignore=.venv/*",
            "--ignore=var/*",
            "--ignore=bench/*",
            "--ignore=aman/classifier/*",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    problems: list[str] = []
    for lang in LANGUAGES:
        for po_path in _catalogues(lang):
            problems.extend(_check(po_path, lang))
    for line in problems[:200]:
        print(line)
    if problems:
        print(f"{len(problems)} translation problems.")
        return 1
    print("Translations complete for " + ", ".join(REQUIRED) + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
