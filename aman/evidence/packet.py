"""The evidence packet: a ZIP of chosen files, a manifest (JSON and CSV) and a PDF summary.

The summary is in the case's language (right to left for Arabic and Kurdish) and carries the
chain of custody of every file: who added, viewed, downloaded or exported it, and when, taken
from the hash-chained audit log. The packet's own SHA-256 is recorded in the audit log when it
is made, so a recipient can check that what they hold is what left the helpline.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from typing import Any

from django.utils import translation

from aman.audit.models import AuditEvent
from aman.core.pdf import render_pdf
from aman.core.spreadsheet import csv_safe
from aman.evidence.models import EvidenceItem

EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heif",
    "image/avif": "avif",
    "video/mp4": "mp4",
    "application/pdf": "pdf",
    "text/plain": "txt",
}
MANIFEST_FIELDS = [
    "number",
    "file",
    "kind",
    "detected_type",
    "size",
    "sha256",
    "md5",
    "pdq",
    "pdq_quality",
    "received_at",
    "added_by",
    "metadata_removed_in_working_copy",
    "working_copy_sha256",
]


def custody_events(*, case: Any, item_ids: list[int]) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(case=case, event_type__startswith="evidence.").order_by("sequence")
    wanted = set(item_ids)
    chosen = []
    for event in events:
        data = event.data or {}
        ids = data.get("evidence")
        ids = ids if isinstance(ids, list) else [ids]
        if wanted.intersection(i for i in ids if isinstance(i, int)):
            chosen.append(event)
    return chosen


def _entry(number: int, item: EvidenceItem) -> dict[str, Any]:
    return {
        "number": number,
        "file": f"files/{number:02d}-{item.sha256[:16]}.{EXTENSIONS.get(item.detected_type, 'bin')}",
        "kind": item.kind,
        "detected_type": item.detected_type,
        "size": item.size,
        "sha256": item.sha256,
        "md5": item.md5,
        "pdq": item.pdq or None,
        "pdq_quality": item.pdq_quality,
        "received_at": item.received_at.isoformat(),
        "added_by": item.added_by,
        "metadata_removed_in_working_copy": item.metadata_removed,
        "working_copy_sha256": item.working_sha256,
    }


def build_packet_zip(
    *, case: Any, items: list[EvidenceItem], target: str, acting_user: Any, created_at: datetime
) -> bytes:
    from aman.evidence.services import evidence_original_bytes

    entries = [_entry(n, item) for n, item in enumerate(items, start=1)]
    events = custody_events(case=case, item_ids=[item.pk for item in items])
    custody = [
        {
            "sequence": e.sequence,
            "at": e.occurred_at.isoformat(),
            "who": e.actor_label,
            "what": e.event_type,
            "evidence": (e.data or {}).get("evidence"),
            "mode": (e.data or {}).get("mode", ""),
            "hash": e.hash,
        }
        for e in events
    ]
    links = list(case.items.values("kind", "value"))
    manifest = {
        "format": "aman-evidence-packet/1",
        "case": case.reference,
        "target": target,
        "language": case.language,
        "created_at": created_at.isoformat(),
        "created_by": acting_user.get_username() if acting_user else "",
        "files": entries,
        "links_and_accounts": links,
        "chain_of_custody": custody,
        "note": (
            "Hashes are of the files exactly as received. This packet's own SHA-256 is in the helpline's audit log."
        ),
    }
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=MANIFEST_FIELDS)
    writer.writeheader()
    for entry in entries:
        writer.writerow({key: csv_safe(entry[key]) for key in MANIFEST_FIELDS})
    with translation.override(case.language):
        summary = render_pdf(
            template_name="evidence/packet_summary.html",
            context={
                "case": case,
                "target": target,
                "entries": list(zip(entries, items, strict=True)),
                "custody": events,
                "links": links,
                "created_at": created_at,
                "created_by": manifest["created_by"],
            },
            language=case.language,
        )
    stamp = created_at.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for entry, item in zip(entries, items, strict=True):
            info = zipfile.ZipInfo(entry["file"], date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, evidence_original_bytes(item=item))
        for name, payload in [
            ("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")),
            ("manifest.csv", ("\ufeff" + table.getvalue()).encode("utf-8")),
            ("summary.pdf", summary),
        ]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, payload)
    return out.getvalue()
