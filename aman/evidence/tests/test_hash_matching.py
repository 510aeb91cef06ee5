"""An evidence picture that matches a banked hash (even mirrored) is flagged on the case."""

from typing import Any

import pytest
from PIL import ImageOps

from aman.audit.models import AuditEvent
from aman.evidence import services
from aman.evidence.tests import files
from aman.evidence.validation import check_file
from aman.hashbanks.matching import index_reset
from aman.hashbanks.services import bank_create, hash_add

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index() -> None:
    index_reset()


def _jpeg(image: Any) -> bytes:
    import io

    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return out.getvalue()


def test_a_mirrored_copy_of_a_banked_image_is_flagged(
    case: Any, supervisor: Any, agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    picture = files.picture(640, 480)
    banked = check_file(_jpeg(picture))
    bank = bank_create(name="Confirmed NCII", kind="own", category="ncii", acting_user=supervisor)
    hash_add(bank=bank, signal_type="pdq", value=banked.pdq, acting_user=supervisor)
    mirrored = _jpeg(ImageOps.mirror(picture))
    with django_capture_on_commit_callbacks(execute=True):
        item = services.evidence_files_add(
            case=case, files=[files.upload("copy.jpg", mirrored)], by_reporter=True
        ).added[0]
    match = item.hash_matches.get()
    assert match.bank_name == "Confirmed NCII" and match.distance <= 31
    assert AuditEvent.objects.filter(event_type="evidence.hash_matched", case=case).exists()
    from django.test import Client

    client = Client()
    client.force_login(agent)
    page = client.get(f"/console/cases/{case.reference}/").content.decode()
    assert 'data-testid="hash-match"' in page


def test_an_unrelated_picture_is_not_flagged(
    case: Any, supervisor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    bank = bank_create(name="Confirmed NCII", kind="own", category="ncii", acting_user=supervisor)
    hash_add(bank=bank, signal_type="pdq", value=check_file(files.encoded("JPEG")).pdq, acting_user=supervisor)
    other = files.picture(640, 480, text="a completely different screenshot")
    from PIL import ImageDraw

    ImageDraw.Draw(other).rectangle([0, 0, 640, 240], fill=(10, 10, 10))
    with django_capture_on_commit_callbacks(execute=True):
        item = services.evidence_files_add(
            case=case, files=[files.upload("x.jpg", _jpeg(other))], by_reporter=True
        ).added[0]
    assert not item.hash_matches.exists()


def test_md5_of_a_banked_file_matches(case: Any, supervisor: Any, django_capture_on_commit_callbacks: Any) -> None:
    data = files.pdf()
    import hashlib

    bank = bank_create(name="Partner list", kind="partner", category="ncii", acting_user=supervisor)
    hash_add(
        bank=bank, signal_type="md5", value=hashlib.md5(data, usedforsecurity=False).hexdigest(), acting_user=supervisor
    )
    with django_capture_on_commit_callbacks(execute=True):
        item = services.evidence_files_add(case=case, files=[files.upload("doc.pdf", data)], by_reporter=True).added[0]
    assert item.hash_matches.get().signal_type == "md5"
