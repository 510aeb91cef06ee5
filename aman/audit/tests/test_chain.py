import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from aman.audit.events import EventType
from aman.audit.models import AuditEvent
from aman.audit.services import audit_chain_verify, audit_record

pytestmark = pytest.mark.django_db


def _tamper(sql: str, params: list[object]) -> None:
    """Change rows behind the application's back, as an attacker with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # skips triggers (superuser)
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _record(n: int) -> list[AuditEvent]:
    return [audit_record(event_type=EventType.SETTINGS_CHANGED, data={"n": i}) for i in range(n)]


def test_each_entry_carries_the_hash_of_the_one_before() -> None:
    events = _record(3)
    assert events[0].prev_hash == "0" * 64
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert [e.sequence for e in events] == [1, 2, 3]
    assert audit_chain_verify().ok


def test_an_altered_entry_is_named() -> None:
    events = _record(5)
    _tamper("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"n": 99}', events[2].pk])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_sequence == 3
    assert report.checked == 2
    with pytest.raises(CommandError, match="#3"):
        call_command("audit_verify")


def test_a_deleted_entry_is_named() -> None:
    events = _record(4)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    report = audit_chain_verify()
    assert report.broken_sequence == 2
    assert report.reason == "missing entry"


def test_removing_the_newest_entries_is_detected() -> None:
    events = _record(4)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[3].pk])
    report = audit_chain_verify()
    assert report.broken_sequence == 4


def test_a_rewritten_hash_breaks_the_next_link() -> None:
    events = _record(3)
    _tamper("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["f" * 64, events[0].pk])
    assert audit_chain_verify().broken_sequence in (1, 2)


def test_the_orm_refuses_updates_and_deletes() -> None:
    event = _record(1)[0]
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_updates_at_the_database_level() -> None:
    from django.db import DatabaseError, transaction

    event = _record(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone else")


def test_verify_command_reports_an_intact_chain(capsys: pytest.CaptureFixture[str]) -> None:
    _record(2)
    call_command("audit_verify")
    assert "2 entries verified" in capsys.readouterr().out
