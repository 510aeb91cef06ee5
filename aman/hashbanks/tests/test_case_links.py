"""Banked hashes keep the case they came from: a later match names the earlier case (only to staff
who may open it), and withdrawing a case (reporter or staff) takes its hashes out of matching and
tells partners, through the paths people use (console pages, the protect page, the API)."""

import io
from typing import Any

import pytest
from django.test import Client
from PIL import ImageOps
from rest_framework.test import APIClient

from aman.audit.models import AuditEvent
from aman.cases.models import Case
from aman.cases.tests.factories import submit_report
from aman.evidence import services as evidence_services
from aman.evidence.tests import files
from aman.hashbanks import services
from aman.hashbanks.case_services import OWN_BANK_NAME, own_bank
from aman.hashbanks.matching import index_reset
from aman.hashbanks.models import BankedHash, HashBank
from aman.hashbanks.tests.factories import random_pdq
from aman.hashing import hash_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():  # type: ignore[no-untyped-def]
    index_reset()
    yield
    index_reset()


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _jpeg(image: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return out.getvalue()


def _add_evidence(case: Case, data: bytes, capture: Any) -> Any:
    with capture(execute=True):  # matching runs after commit (eager Celery in tests)
        return evidence_services.evidence_files_add(
            case=case, files=[files.upload("shot.jpg", data)], by_reporter=True
        ).added[0]


def test_confirmed_evidence_is_banked_with_its_case_and_a_later_copy_names_it(
    supervisor: Any, agent: Any, other_agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first_case = submit_report(category="ncii", description="An intimate picture was posted.").case
    picture = files.picture(640, 480, text="synthetic picture")
    item = _add_evidence(first_case, _jpeg(picture), django_capture_on_commit_callbacks)
    assert not item.hash_matches.exists()

    # A supervisor confirms the file and puts its hashes in the helpline's own bank.
    page = _login(supervisor).get(f"/console/cases/{first_case.reference}/evidence/{item.pk}/")
    assert b'data-testid="hashbank-add"' in page.content
    response = _login(supervisor).post(
        f"/console/hashbanks/cases/{first_case.reference}/evidence/{item.pk}/bank/", follow=True
    )
    assert response.status_code == 200
    rows = list(BankedHash.objects.filter(source_case=first_case))
    assert rows and {r.source_evidence_id for r in rows} == {item.pk}
    assert {r.bank.name for r in rows} == {OWN_BANK_NAME}
    assert {r.signal_type for r in rows} == {"pdq", "md5"}
    assert len({r.picture for r in rows}) == 1 and all(r.reviewed_at for r in rows)
    assert AuditEvent.objects.filter(event_type="hashbank.hash_added", case=first_case).exists()
    assert (
        b'data-testid="hashbank-banked"'
        in _login(supervisor).get(f"/console/cases/{first_case.reference}/evidence/{item.pk}/").content
    )

    # Matching the file again does not flag it against its own banked hashes.
    assert evidence_services.evidence_match_record(item_id=item.pk) == 0

    # A mirrored copy arrives in another case: the match names the first case.
    second_case = submit_report(category="ncii", description="Someone sent me this again.").case
    copy = _add_evidence(second_case, _jpeg(ImageOps.mirror(picture)), django_capture_on_commit_callbacks)
    match = copy.hash_matches.get(signal_type="pdq")
    assert match.distance <= 31

    # The supervisor (sees every case) and an agent who may open the first case see its reference.
    for user in (supervisor, agent):
        html = _login(user).get(f"/console/cases/{second_case.reference}/").content.decode()
        assert 'data-origin="case"' in html and first_case.reference in html
        html = _login(user).get(f"/console/cases/{second_case.reference}/evidence/{copy.pk}/").content.decode()
        assert f"/console/cases/{first_case.reference}/" in html

    # Once the first case is held by another agent, this agent may not open it: not named (fail closed).
    Case.objects.filter(pk=first_case.pk).update(assignee=other_agent)
    html = _login(agent).get(f"/console/cases/{second_case.reference}/").content.decode()
    assert 'data-origin="hidden"' in html and first_case.reference not in html
    assert _login(agent).get(f"/console/hashbanks/cases/{first_case.reference}/").status_code == 403


def test_an_agent_cannot_bank_evidence_and_nothing_changes(
    agent: Any, supervisor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = submit_report(category="ncii", description="x").case
    item = _add_evidence(case, _jpeg(files.picture(320, 240)), django_capture_on_commit_callbacks)
    client = _login(agent)
    before = AuditEvent.objects.count()
    response = client.post(f"/console/hashbanks/cases/{case.reference}/evidence/{item.pk}/bank/")
    assert response.status_code == 403
    assert not BankedHash.objects.exists() and AuditEvent.objects.count() == before, list(
        AuditEvent.objects.values_list("event_type", flat=True)
    )
    # A supervisor naming an item of another case gets 404.
    other = submit_report(category="ncii", description="y").case
    url = f"/console/hashbanks/cases/{other.reference}/evidence/{item.pk}/bank/"
    assert _login(supervisor).post(url).status_code == 404


def _protect(client: Client, image_hashes: Any, **extra: str) -> Any:
    data = {
        "kind": "image",
        "pdq": image_hashes.hash,
        "dihedral": ",".join(image_hashes.dihedral),
        "quality": str(image_hashes.quality),
        "attach": "new",
        "category": "ncii",
        "age_band": "18_plus",
        "consent": "on",
    }
    data.update(extra)
    return client.post("/protect-my-image/", data)


def test_reporter_protects_then_withdraws_and_the_hashes_go_everywhere(supervisor: Any) -> None:
    shared = own_bank()  # partners get the own bank and the reporters' bank
    reporter_bank = services.reporter_bank()
    partner, key = services.partner_create(
        name="Hotline", banks=[shared, reporter_bank], can_fetch=True, acting_user=supervisor
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    picture = files.picture(640, 480, text="my picture")
    hashed = hash_image(_jpeg(picture))
    reporter = Client()
    response = _protect(reporter, hashed)
    assert response.status_code == 200, response.content
    html = response.content.decode()
    case = Case.objects.get()
    assert case.reference in html and 'data-testid="protect-code"' in html
    rows = list(BankedHash.objects.filter(source_case=case))
    assert {r.value for r in rows} == set(hashed.dihedral)
    assert all(r.is_pending for r in rows) and len({r.picture for r in rows}) == 1

    # Pending: no match, nothing in the feed.
    assert api.post("/api/v1/hashes/match", {"pdq": [hashed.hash]}, format="json").json()["matches"] == []
    assert api.get("/api/v1/hashes/fetch?checkpoint=0").json()["changes"] == []

    # The supervisor sees one line for the picture, with its 8 codes and the case.
    banks_page = _login(supervisor).get("/console/hashbanks/").content.decode()
    assert banks_page.count('data-testid="pending-hash"') == 1 and case.reference in banks_page
    # A supervisor confirms the picture: all 8 codes at once.
    _login(supervisor).post(f"/console/hashbanks/hashes/{rows[0].pk}/review/", {"decision": "accept"})
    assert not BankedHash.objects.filter(source_case=case, reviewed_at__isnull=True).exists()
    mirrored = hash_image(_jpeg(ImageOps.mirror(picture))).hash
    found = api.post("/api/v1/hashes/match", {"pdq": [hashed.hash, mirrored]}, format="json").json()["matches"]
    assert {m["query_index"] for m in found} == {0, 1}
    assert "case" not in str(found[0].keys())  # partners never see our case
    feed = api.get("/api/v1/hashes/fetch?checkpoint=0").json()
    checkpoint = int(feed["next_checkpoint"])
    assert {c["change"] for c in feed["changes"]} == {"add"}

    # The reporter withdraws, from the result page's session.
    page = reporter.get("/protect-my-image/withdraw/")
    assert b'data-testid="withdraw-confirm"' in page.content
    done = reporter.post("/protect-my-image/withdraw/", {"confirm": "yes"})
    assert done.status_code == 200 and b'data-testid="protect-withdrawn"' in done.content
    assert not BankedHash.objects.filter(source_case=case, withdrawn_at__isnull=True).exists()
    event = AuditEvent.objects.filter(event_type="hashbank.hash_withdrawn", case=case).latest("id")
    assert event.actor_label == "reporter" and event.data["case_hashes"] == len(rows)

    # A later lookup no longer finds it, in this process's index and through the API.
    assert api.post("/api/v1/hashes/match", {"pdq": [hashed.hash, mirrored]}, format="json").json()["matches"] == []
    feed = api.get(f"/api/v1/hashes/fetch?checkpoint={checkpoint}").json()
    assert len(feed["changes"]) == len(rows)
    assert {c["change"] for c in feed["changes"]} == {"withdraw"}
    assert {c["value"] for c in feed["changes"]} == set(hashed.dihedral)
    assert partner.pk  # the partner key stayed valid throughout


def test_reporter_withdraws_later_with_reference_and_code(supervisor: Any) -> None:
    submission = submit_report(category="ncii", description="picture posted")
    hashed_values = [random_pdq() for _ in range(8)]
    client = Client()
    response = client.post(
        "/protect-my-image/",
        {
            "kind": "image",
            "pdq": hashed_values[0],
            "dihedral": ",".join(hashed_values),
            "quality": "80",
            "attach": "existing",
            "reference": submission.case.reference,
            "code": submission.follow_up_code,
            "consent": "on",
        },
    )
    assert response.status_code == 200
    assert BankedHash.objects.filter(source_case=submission.case).count() == 8
    assert Case.objects.count() == 1  # added to the existing report
    # The reporter's follow-up page (they are in their report now) links to protect and withdraw.
    followup = client.get("/follow-up/case/").content.decode()
    assert 'data-testid="reporter-withdraw-link"' in followup and "(8)" in followup

    fresh = Client()
    assert b'data-testid="withdraw-login"' in fresh.get("/protect-my-image/withdraw/").content
    before = AuditEvent.objects.filter(event_type="hashbank.hash_withdrawn").count()
    wrong = fresh.post("/protect-my-image/withdraw/", {"reference": submission.case.reference, "code": "WRONG-CODE"})
    assert wrong.status_code == 400
    assert not BankedHash.objects.filter(withdrawn_at__isnull=False).exists()
    assert AuditEvent.objects.filter(event_type="hashbank.hash_withdrawn").count() == before
    # A confirm without having opened the report does nothing.
    assert fresh.post("/protect-my-image/withdraw/", {"confirm": "yes"}).status_code == 400
    assert not BankedHash.objects.filter(withdrawn_at__isnull=False).exists()

    opened = fresh.post(
        "/protect-my-image/withdraw/",
        {"reference": submission.case.reference, "code": submission.follow_up_code},
    )
    assert opened.status_code == 302
    fresh.post("/protect-my-image/withdraw/", {"confirm": "yes"})
    assert BankedHash.objects.filter(withdrawn_at__isnull=False).count() == 8
    # Never confirmed, so never shared: the partner feed does not mention them even as withdrawn.
    staff = APIClient()
    staff.force_authenticate(supervisor)
    assert staff.get("/api/v1/hashes/fetch?checkpoint=0").json()["changes"] == []


def test_staff_withdraw_a_case_with_a_reason_audited(supervisor: Any) -> None:
    case = submit_report(category="ncii", description="x").case
    bank = HashBank.objects.create(name="own", kind="own", category="ncii")
    from django.db import transaction

    from aman.hashbanks.case_services import PictureHashes, _insert_picture

    with transaction.atomic():
        _insert_picture(
            bank=bank,
            signals=PictureHashes(pdq=(random_pdq(),), quality=90).signals(),
            quality=90,
            category="ncii",
            source="t",
            case=case,
            evidence=None,
            acting_user=supervisor,
        )
    client = _login(supervisor)
    page = client.get(f"/console/hashbanks/cases/{case.reference}/")
    assert page.status_code == 200 and b'data-testid="case-hash-row"' in page.content
    before = AuditEvent.objects.count()
    assert client.post(f"/console/hashbanks/cases/{case.reference}/", {"reason": ""}).status_code == 400
    assert AuditEvent.objects.count() == before and not BankedHash.objects.filter(withdrawn_at__isnull=False).exists()
    client.post(f"/console/hashbanks/cases/{case.reference}/", {"reason": "Reporter asked by phone"})
    row = BankedHash.objects.get()
    assert row.withdrawn_by == supervisor and row.withdrawal_reason == "Reporter asked by phone"
    event = AuditEvent.objects.filter(event_type="hashbank.hash_withdrawn", case=case).get()
    assert event.actor_id == supervisor.pk and event.data["case_hashes"] == 1
