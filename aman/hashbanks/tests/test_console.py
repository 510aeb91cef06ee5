import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aman.audit.models import AuditEvent
from aman.hashbanks.matching import index_reset
from aman.hashbanks.models import BankedHash, HashBank
from aman.hashbanks.tests.factories import HashBankFactory, add_hash, flip_bits, random_pdq

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():  # type: ignore[no-untyped-def]
    index_reset()
    yield
    index_reset()


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_supervisor_creates_bank_adds_searches_withdraws(supervisor):  # type: ignore[no-untyped-def]
    client = _client(supervisor)
    assert b"/console/hashbanks/" in client.get("/console/").content  # the nav link
    response = client.post(
        "/console/hashbanks/",
        {"name": "Our NCII", "kind": "own", "category": "ncii", "description": "", "threshold": "31"},
    )
    bank = HashBank.objects.get(name="Our NCII")
    assert response.status_code == 302
    value = random_pdq()
    assert (
        client.post(f"/console/hashbanks/{bank.pk}/add/", {"signal_type": "pdq", "value": value.upper()}).status_code
        == 302
    )
    row = BankedHash.objects.get(bank=bank)
    assert row.value == value
    page = client.get(f"/console/hashbanks/{bank.pk}/?q={value[:10]}")
    assert value in page.content.decode()
    assert client.post(f"/console/hashbanks/hashes/{row.pk}/withdraw/", {"reason": ""}).status_code == 302
    row.refresh_from_db()
    assert row.withdrawn_at is None
    client.post(f"/console/hashbanks/hashes/{row.pk}/withdraw/", {"reason": "Consent withdrawn"})
    row.refresh_from_db()
    assert row.withdrawal_reason == "Consent withdrawn" and row.withdrawn_by == supervisor


def test_add_rejects_bad_and_hostile_values(supervisor):  # type: ignore[no-untyped-def]
    bank = HashBankFactory()
    client = _client(supervisor)
    for value in ["", "abc", "<script>alert(1)</script>", "\u202e" + "a" * 63, "a" * 63 + "\x00", "a" * 5000]:
        response = client.post(f"/console/hashbanks/{bank.pk}/add/", {"signal_type": "pdq", "value": value})
        assert response.status_code == 400
        assert "<script>alert(1)</script>" not in response.content.decode()
    assert bank.hashes.count() == 0


def test_import_page_reports_lines_and_imports_nothing(supervisor):  # type: ignore[no-untyped-def]
    bank = HashBankFactory()
    client = _client(supervisor)
    bad = SimpleUploadedFile("list.txt", f"pdq {random_pdq()}\npdq nothex\n".encode())
    response = client.post(f"/console/hashbanks/{bank.pk}/import/", {"format": "text", "file": bad, "source": "x"})
    assert response.status_code == 400 and b"import-errors" in response.content
    assert bank.hashes.count() == 0
    good = SimpleUploadedFile("list.txt", "".join(f"pdq {random_pdq()}\n" for _ in range(20)).encode())
    response = client.post(f"/console/hashbanks/{bank.pk}/import/", {"format": "text", "file": good, "source": "x"})
    assert response.status_code == 200 and b"import-result" in response.content
    assert bank.hashes.count() == 20


def test_export_streams_and_is_audited(supervisor):  # type: ignore[no-untyped-def]
    bank = HashBankFactory()
    row = add_hash(bank, user=supervisor)
    response = _client(supervisor).get(f"/console/hashbanks/{bank.pk}/export/?format=text")
    assert b"".join(response.streaming_content).decode() == f"pdq {row.value}\n"
    assert AuditEvent.objects.filter(event_type="hashbank.exported").exists()


def test_agent_lookup_finds_near_match_and_is_audited(agent, supervisor):  # type: ignore[no-untyped-def]
    bank = HashBankFactory()
    row = add_hash(bank, user=supervisor)
    client = _client(agent)
    response = client.post("/console/hashbanks/lookup/", {"hashes": flip_bits(row.value, 7)})
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="match-row"') == 1
    event = AuditEvent.objects.filter(event_type="hashbank.matched").get()
    assert event.data == {"channel": "console", "pdq": 1, "md5": 0, "matches": 1}
    assert row.value not in str(event.data)
    response = client.post("/console/hashbanks/lookup/", {"hashes": "not a hash\n" + "a" * 64})
    assert response.status_code == 400


def test_review_queue(supervisor):  # type: ignore[no-untyped-def]
    from aman.hashbanks import services

    row = services.reporter_hash_submit(pdq=random_pdq(), quality=80, consent=True)
    assert row is not None
    client = _client(supervisor)
    assert b"pending-hash" in client.get("/console/hashbanks/").content
    client.post(f"/console/hashbanks/hashes/{row.pk}/review/", {"decision": "reject"})
    row.refresh_from_db()
    assert row.withdrawn_at is not None and row.withdrawal_reason == "Rejected at review"
