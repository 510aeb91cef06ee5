"""Read the guide seed files: ``guides/<slug>/meta.json`` and ``guides/<slug>/<lang>.md``.

A Markdown file starts with ``# Title``, then a one-paragraph summary, then the body.
Reading is separate from loading (services.guides_seed) so a malformed file is reported by name
and skipped, never half-loaded.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from aman.cases.choices import HarmCategory
from aman.core.text import clean_user_text
from aman.guides.choices import LANGUAGES, GuidePlatform, Topic
from aman.guides.definitions import DefinitionError

SLUG = re.compile(r"^(?!(?:new|send)$)[a-z0-9][a-z0-9-]{0,79}$")  # "new" and "send" are console paths


@dataclass(frozen=True)
class SeedText:
    language: str
    title: str
    summary: str
    body: str
    sha256: str


@dataclass(frozen=True)
class SeedGuide:
    slug: str
    topic: str
    platforms: tuple[str, ...]
    categories: tuple[str, ...]
    order: int
    texts: tuple[SeedText, ...] = field(default=())


def parse_guide_markdown(raw: str, language: str, where: str) -> SeedText:
    text = clean_user_text(raw)
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines or not lines[0].startswith("# ") or not lines[0][2:].strip():
        raise DefinitionError(f"{where}: the first line must be '# Title'")
    title = lines[0][2:].strip()
    rest = lines[1:]
    while rest and not rest[0].strip():
        rest.pop(0)
    summary_lines = []
    while rest and rest[0].strip():
        summary_lines.append(rest.pop(0).strip())
    summary = " ".join(summary_lines)
    if not summary:
        raise DefinitionError(f"{where}: a one-paragraph summary must follow the title")
    body = "\n".join(rest).strip()
    if not body:
        raise DefinitionError(f"{where}: the guide has no body after the summary")
    if len(title) > 200 or len(summary) > 1000:
        raise DefinitionError(f"{where}: the title (200) or summary (1,000 characters) is too long")
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return SeedText(language=language, title=title, summary=summary, body=body, sha256=digest)


def parse_meta(data: object, where: str) -> tuple[str, tuple[str, ...], tuple[str, ...], int]:
    if not isinstance(data, dict):
        raise DefinitionError(f"{where}: expected an object")
    topic = data.get("topic")
    if topic not in Topic.values:
        raise DefinitionError(f"{where}: 'topic' must be one of {', '.join(Topic.values)}")
    platforms = data.get("platforms") or []
    categories = data.get("categories") or []
    if not isinstance(platforms, list) or any(p not in GuidePlatform.values for p in platforms):
        raise DefinitionError(f"{where}: unknown platform in {platforms!r}")
    if not isinstance(categories, list) or any(c not in HarmCategory.values for c in categories):
        raise DefinitionError(f"{where}: unknown harm category in {categories!r}")
    order = data.get("order", 100)
    if not isinstance(order, int) or isinstance(order, bool):
        raise DefinitionError(f"{where}: 'order' must be a whole number")
    return str(topic), tuple(platforms), tuple(categories), order


def read_guides(directory: Path) -> tuple[list[SeedGuide], list[str]]:
    """Every well-formed guide under ``directory/guides`` and the problems found, by file."""
    guides: list[SeedGuide] = []
    problems: list[str] = []
    root = directory / "guides"
    if not root.is_dir():
        return guides, problems
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        slug = folder.name
        if not SLUG.match(slug):
            problems.append(f"guides/{slug}: the folder name must be lower-case letters, digits and hyphens")
            continue
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            topic, platforms, categories, order = parse_meta(meta, f"guides/{slug}/meta.json")
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, DefinitionError) as exc:
            problems.append(f"guides/{slug}/meta.json: {exc}")
            continue
        texts = []
        for language in LANGUAGES:
            path = folder / f"{language}.md"
            if not path.is_file():
                continue
            try:
                texts.append(
                    parse_guide_markdown(path.read_text(encoding="utf-8"), language, f"guides/{slug}/{path.name}")
                )
            except (OSError, UnicodeDecodeError, DefinitionError) as exc:
                problems.append(str(exc))
        guides.append(SeedGuide(slug, topic, platforms, categories, order, tuple(texts)))
    return guides, problems
