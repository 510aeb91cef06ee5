from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig


def _evidence_text(case: Any) -> Iterable[str]:
    from aman.evidence.models import EvidenceItem

    return (
        EvidenceItem.objects.filter(case=case, purged_at__isnull=True)
        .exclude(ocr_text="")
        .values_list("ocr_text", flat=True)
    )


def _purge_evidence(case: Any) -> dict[str, int]:
    from aman.evidence.services import evidence_purge_case

    counts = evidence_purge_case(case=case)
    return {"evidence_items": counts["items"], "evidence_blobs": counts["blobs"]}


class EvidenceConfig(AppConfig):
    name = "aman.evidence"
    label = "evidence"

    def ready(self) -> None:
        from aman.cases.retention import register_purge_hook
        from aman.cases.search import register_search_source

        register_search_source(_evidence_text)
        register_purge_hook(_purge_evidence)
