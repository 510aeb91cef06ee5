import io

import pytest

from aman.audit.models import AuditEvent
from aman.hashbanks import errors, services
from aman.hashbanks.matching import hashbank_match, hashbank_match_image, index_reset
from aman.hashbanks.models import BankedHash
from aman.hashbanks.tests.factories import HashBankFactory, add_hash, flip_bits, random_md5, random_pdq

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():  # type: ignore[no-untyped-def]
    index_reset()
    yield
    index_reset()


def test_add_match_withdraw_and_audit(supervisor):  # type: ignore[no-untyped-def]
    bank = HashBankFactory()
    row = add_hash(bank, user=supervisor)
    assert row.reviewed_by == supervisor and row.change_seq > 0
    near = flip_bits(row.value, 31)
    far = flip_bits(row.value, 32)
    found = hashbank_match(pdq=[near, far, row.value.upper()])
    assert [(m.query_index, m.distance, m.hash_id) for m in found] == [(0, 31, row.pk), (2, 0, row.pk)]
    assert found[0].bank_name == bank.name and found[0].category == "ncii"
    services.hash_withdraw(banked_hash=row, reason="Reporter withdrew consent", acting_user=supervisor)
    assert hashbank_match(pdq=[row.value]) == []  # incremental removal in this process
    index_reset()
    assert hashbank_match(pdq=[row.value]) == []  # and after a rebuild
    assert AuditEvent.objects.filter(event_type="hashbank.hash_withdrawn").count() == 1
    with pytest.raises(errors.AlreadyWithdrawn):
        services.hash_withdraw(banked_hash=row, reason="again", acting_user=supervisor)


def test_withdraw_needs_reason(supervisor):  # type: ignore[no-untyped-def]
    row = add_hash(HashBankFactory(), user=supervisor)
    with pytest.raises(errors.ReasonRequired):
        services.hash_withdraw(banked_hash=row, reason=" \x00\u202e ", acting_user=supervisor)


def test_index_picks_up_new_hashes_incrementally(supervisor):  # type: ignore[no-untyped-def]
    bank = HashBankFactory()
    first = add_hash(bank, user=supervisor)
    assert len(hashbank_match(pdq=[first.value])) == 1
    second = add_hash(bank, user=supervisor)
    assert [m.hash_id for m in hashbank_match(pdq=[second.value])] == [second.pk]


def test_thresholds_inactive_banks_and_max_distance(supervisor):  # type: ignore[no-untyped-def]
    strict = HashBankFactory(threshold=10)
    loose = HashBankFactory()
    value = random_pdq()
    a = add_hash(strict, value, user=supervisor)
    b = add_hash(loose, value, user=supervisor)
    query = flip_bits(value, 20)
    assert [m.hash_id for m in hashbank_match(pdq=[query])] == [b.pk]
    assert {m.hash_id for m in hashbank_match(pdq=[query], max_distance=25)} == {a.pk, b.pk}
    services.bank_update(bank=loose, active=False, threshold=31, description="", acting_user=supervisor)
    assert hashbank_match(pdq=[query]) == []
    assert [m.hash_id for m in hashbank_match(pdq=[query], banks=[strict.pk], max_distance=20)] == [a.pk]


def test_md5_exact_and_duplicates(supervisor):  # type: ignore[no-untyped-def]
    bank = HashBankFactory()
    md5 = random_md5()
    row = add_hash(bank, md5, signal_type="md5", user=supervisor)
    found = hashbank_match(pdq=[random_pdq()], md5=[md5.upper(), random_md5()])
    assert [(m.query_index, m.hash_id, m.distance) for m in found] == [(1, row.pk, 0)]
    with pytest.raises(errors.DuplicateHash):
        add_hash(bank, md5, signal_type="md5", user=supervisor)


def test_bad_hashes_raise(supervisor):  # type: ignore[no-untyped-def]
    for bad in ["", "xyz", "0" * 63, "g" * 64, "0" * 64 + "\x00"]:
        with pytest.raises(ValueError):
            hashbank_match(pdq=[bad])


def test_dihedral_variants_match_once_at_best_distance(supervisor):  # type: ignore[no-untyped-def]
    bank = HashBankFactory()
    value = random_pdq()
    row = add_hash(bank, value, user=supervisor)
    variants = [random_pdq() for _ in range(6)] + [flip_bits(value, 5), flip_bits(value, 2)]
    found = hashbank_match_image(pdq_variants=variants)
    assert [(m.hash_id, m.distance, m.query) for m in found] == [(row.pk, 2, variants[-1])]


def test_reporter_hash_pending_until_reviewed(supervisor):  # type: ignore[no-untyped-def]
    value = random_pdq()
    assert services.reporter_hash_submit(pdq=value, quality=90, consent=False) is None
    row = services.reporter_hash_submit(pdq=value, quality=90, consent=True)
    assert row is not None and row.is_pending
    assert services.reporter_hash_submit(pdq=value, quality=90, consent=True) == row  # no duplicate
    assert hashbank_match(pdq=[value]) == []
    bank = row.bank
    assert list(services.hashes_export(bank=bank, fmt="text", acting_user=supervisor)) == []
    services.hash_review(banked_hash=row, accept=True, acting_user=supervisor)
    assert [m.hash_id for m in hashbank_match(pdq=[value])] == [row.pk]
    with pytest.raises(errors.NotPending):
        services.hash_review(banked_hash=row, accept=True, acting_user=supervisor)
    event = AuditEvent.objects.get(event_type="hashbank.reporter_submitted")
    assert value not in str(event.data)


def test_text_import_counts_and_streams_in_batches(supervisor, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(services, "IMPORT_BATCH", 3)
    bank = HashBankFactory()
    existing = add_hash(bank, user=supervisor)
    pdqs = [random_pdq() for _ in range(7)]
    md5 = random_md5()
    text = "\n".join(
        [f"pdq {pdqs[0]}", pdqs[1], f"PDQ {pdqs[2].upper()}", f"md5 {md5}", f"pdq {pdqs[0]}", f"pdq {existing.value}"]
        + [f"pdq {p}" for p in pdqs[3:]]
        + ["", "\r"]
    )
    result = services.hashes_import(bank=bank, stream=io.BytesIO(text.encode()), fmt="text", acting_user=supervisor)
    assert (result.added, result.already_present, result.duplicates_in_file) == (8, 1, 1)
    assert bank.hashes.count() == 9
    seqs = list(bank.hashes.values_list("change_seq", flat=True))
    assert len(set(seqs)) == len(seqs)
    event = AuditEvent.objects.filter(event_type="hashbank.imported").get()
    assert event.data["added"] == 8


def test_import_is_all_or_nothing_with_line_numbers(supervisor):  # type: ignore[no-untyped-def]
    bank = HashBankFactory()
    lines = [f"pdq {random_pdq()}", "pdq 1234", "sha1 " + "a" * 40, "<script>alert(1)</script>", f"pdq {random_pdq()}"]
    data = "\n".join(lines).encode() + b"\n\xff\xfe\n" + b"pdq \x00" + b"a" * 60 + b"\n"
    with pytest.raises(errors.ImportFailed) as caught:
        services.hashes_import(bank=bank, stream=io.BytesIO(data), fmt="text", acting_user=supervisor)
    assert [line for line, _reason in caught.value.errors] == [2, 3, 4, 6, 7]
    assert bank.hashes.count() == 0
    assert not AuditEvent.objects.filter(event_type="hashbank.imported").exists()


def test_csv_round_trip_with_withdrawals(supervisor):  # type: ignore[no-untyped-def]
    source_bank = HashBankFactory()
    keep = add_hash(source_bank, user=supervisor)
    gone = add_hash(source_bank, user=supervisor)
    services.hash_withdraw(banked_hash=gone, reason="false positive", acting_user=supervisor)
    exported = "".join(services.hashes_export(bank=source_bank, fmt="csv", acting_user=supervisor))
    assert exported.splitlines()[0].startswith("signal_type,value,category,source")
    target = HashBankFactory()
    add_hash(target, gone.value, user=supervisor)  # the target still has the withdrawn one
    result = services.hashes_import(
        bank=target, stream=io.BytesIO(exported.encode()), fmt="csv", source="partner list", acting_user=supervisor
    )
    assert (result.added, result.withdrawn) == (1, 1)
    assert target.hashes.get(value=keep.value).source == "partner list"
    assert target.hashes.get(value=gone.value).withdrawn_at is not None


def test_csv_errors(supervisor):  # type: ignore[no-untyped-def]
    bank = HashBankFactory()
    csv_text = (
        "signal_type,value,category,withdrawn,added_at\n"
        f"pdq,{random_pdq()},ncii,false,2026-01-01T10:00:00Z\n"
        f"pdq,{random_pdq()},nope,false,\n"
        f"md5,{random_md5()},ncii,maybe,\n"
        f"md5,{random_md5()},ncii,false,yesterday\n"
        f"pdq,{random_pdq()}\n"
    )
    with pytest.raises(errors.ImportFailed) as caught:
        services.hashes_import(bank=bank, stream=io.BytesIO(csv_text.encode()), fmt="csv", acting_user=supervisor)
    assert [line for line, _r in caught.value.errors] == [3, 4, 5, 6]
    with pytest.raises(errors.ImportFailed):
        services.hashes_import(bank=bank, stream=io.BytesIO(b"a,b\n1,2\n"), fmt="csv", acting_user=supervisor)


def test_export_guards_spreadsheet_formulas(supervisor):  # type: ignore[no-untyped-def]
    bank = HashBankFactory()
    services.hash_add(bank=bank, signal_type="pdq", value=random_pdq(), source="=HYPERLINK(1)", acting_user=supervisor)
    exported = "".join(services.hashes_export(bank=bank, fmt="csv", acting_user=supervisor))
    assert "'=HYPERLINK(1)" in exported


def test_fetch_changes_feed(supervisor):  # type: ignore[no-untyped-def]
    bank = HashBankFactory()
    other = HashBankFactory()
    rows = [add_hash(bank, user=supervisor) for _ in range(5)]
    add_hash(other, user=supervisor)
    services.hash_withdraw(banked_hash=rows[0], reason="withdrawn", acting_user=supervisor)
    banks = type(bank).objects.filter(pk=bank.pk)
    page = services.hashes_fetch_changes(banks=banks, checkpoint=0, limit=3)
    assert page.has_more and [r.pk for r in page.changes] == [r.pk for r in rows[1:4]]
    page2 = services.hashes_fetch_changes(banks=banks, checkpoint=page.next_checkpoint, limit=3)
    assert not page2.has_more and [r.pk for r in page2.changes] == [rows[4].pk, rows[0].pk]
    assert page2.changes[1].withdrawn_at is not None
    page3 = services.hashes_fetch_changes(banks=banks, checkpoint=page2.next_checkpoint, limit=3)
    assert page3.changes == [] and page3.next_checkpoint == page2.next_checkpoint
    assert AuditEvent.objects.filter(event_type="hashbank.fetched").count() == 3


def test_partner_key_is_stored_hashed(supervisor):  # type: ignore[no-untyped-def]
    bank = HashBankFactory()
    partner, key = services.partner_create(name="Hotline", banks=[bank], acting_user=supervisor)
    assert key not in partner.key_hash and partner.key_hash == services.partner_key_digest(key)
    assert services.partner_authenticate(key=key) == partner
    assert services.partner_authenticate(key=key + "x") is None
    assert services.partner_authenticate(key="nope") is None
    assert BankedHash.objects.count() == 0
