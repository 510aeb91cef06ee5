"""Fill translations from a JSON file into every catalogue that holds the message.

    .venv/bin/python scripts/translate.py path/to/strings.json

The JSON maps each msgid to its translations: ``{"Trainer": {"ar": "مدرّب", "fr": "Formateur",
"ckb": "ڕاهێنەر"}}``. For plural messages give a list per language, one form per plural index.
Use ``{"msgctxt": ..., "msgid": ..., "ar": ...}`` items in a top-level list for a message with
context. Only empty or fuzzy entries are filled (``--force`` overwrites). Run ``make messages`` afterwards
to compile.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["ar", "fr", "ckb"]
FORCE = False


def _items(data: object) -> list[dict]:
    if isinstance(data, dict):
        return [{"msgid": msgid, **langs} for msgid, langs in data.items()]
    return list(data)  # type: ignore[arg-type]


def main(argv: list[str]) -> int:
    global FORCE
    if "--force" in argv:
        FORCE, argv = True, [a for a in argv if a != "--force"]
    items = []
    for name in argv:
        items.extend(_items(json.loads(Path(name).read_text(encoding="utf-8"))))
    by_key = {(item.get("msgctxt") or "", item["msgid"]): item for item in items}
    filled = 0
    for lang in LANGUAGES:
        for po_path in [ROOT / "locale", *sorted((ROOT / "aman").glob("*/locale"))]:
            path = po_path / lang / "LC_MESSAGES" / "django.po"
            if not path.exists():
                continue
            po = polib.pofile(str(path))
            changed = False
            for entry in po:
                item = by_key.get((entry.msgctxt or "", entry.msgid))
                if item is None or lang not in item:
                    continue
                if entry.translated() and "fuzzy" not in entry.flags and not FORCE:
                    continue  # never overwrite a translation someone already wrote
                value = item[lang]
                if entry.msgid_plural:
                    forms = value if isinstance(value, list) else [value]
                    for index in entry.msgstr_plural:
                        entry.msgstr_plural[index] = forms[min(index, len(forms) - 1)]
                else:
                    entry.msgstr = value
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                    entry.previous_msgid = None
                changed = True
                filled += 1
            if changed:
                po.save()
    print(f"filled {filled} entries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
