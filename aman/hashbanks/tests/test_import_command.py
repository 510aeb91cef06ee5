"""manage.py hashes_import on a generated ~200,000-line list: streamed, batched, all or nothing."""

import secrets
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from aman.audit.models import AuditEvent
from aman.hashbanks.matching import hashbank_match, index_reset
from aman.hashbanks.models import BankedHash
from aman.hashbanks.tests.factories import HashBankFactory

pytestmark = pytest.mark.django_db
LINES = 200_000


@pytest.fixture(autouse=True)
def _fresh_index():  # type: ignore[no-untyped-def]
    index_reset()
    yield
    index_reset()


def _write_list(path: Path, count: int, bad: dict[int, bytes] | None = None) -> list[str]:
    """``count`` lines of ``pdq <hex>`` (every tenth an ``md5``), with ``bad`` lines put at 1-based numbers."""
    bad = bad or {}
    values = []
    with path.open("wb") as fh:
        for number in range(1, count + 1):
            if number in bad:
                fh.write(bad[number] + b"\n")
                continue
            if number % 10 == 0:
                value = secrets.token_hex(16)
                fh.write(f"md5 {value}\n".encode())
            else:
                value = secrets.token_hex(32)
                fh.write(f"pdq {value}\n".encode())
            values.append(value)
    return values


def test_a_list_with_malformed_lines_imports_nothing_and_names_them(tmp_path: Path, capsys: Any) -> None:
    bank = HashBankFactory(name="partner list")
    bad = {
        17: b"pdq " + b"g" * 64,  # not hex
        50_001: b"pdq " + b"a" * 63,  # too short
        123_456: b"sha1 " + b"a" * 40,  # unknown type
        150_000: b"pdq \xff\xfe" + b"a" * 62,  # not UTF-8
        199_999: b"pdq " + b"a" * 5000,  # too long
        199_998: b"pdq aa\x00" + b"a" * 62,  # a NUL
    }
    _write_list(tmp_path / "list.txt", LINES, bad)
    with pytest.raises(SystemExit) as exit_info:
        call_command("hashes_import", str(tmp_path / "list.txt"), bank="partner list", batch=7_000, quiet=True)
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    for number in bad:
        assert f"line {number}:" in err
    assert "Nothing was imported: 6 malformed lines" in err
    assert not BankedHash.objects.filter(bank=bank).exists()
    assert not AuditEvent.objects.filter(event_type="hashbank.imported").exists()


def test_a_200k_line_list_imports_in_batches_with_progress_and_twice_is_safe(tmp_path: Path, capsys: Any) -> None:
    bank = HashBankFactory(name="big")
    values = _write_list(tmp_path / "list.txt", LINES)
    with (tmp_path / "list.txt").open("ab") as fh:  # a repeat and a blank line
        fh.write(f"pdq {values[0]}\n\n".encode())
    call_command("hashes_import", str(tmp_path / "list.txt"), bank=str(bank.pk), batch=50_000)
    out, err = capsys.readouterr()
    assert "200,001 lines, 200,000 added, 0 already in the bank, 1 repeated in the file" in out
    assert err.count("lines read") == 4  # one progress line per batch of 50,000
    assert BankedHash.objects.filter(bank=bank).count() == LINES
    assert BankedHash.objects.filter(bank=bank, signal_type="md5").count() == LINES // 10
    event = AuditEvent.objects.get(event_type="hashbank.imported")
    assert event.data["added"] == LINES
    # The imported hashes match at once (the index takes the new change numbers).
    assert [m.value for m in hashbank_match(pdq=[values[1]])] == [values[1]]
    # The same file again: nothing new, all counted as present.
    call_command("hashes_import", str(tmp_path / "list.txt"), bank="big", quiet=True)
    out, _err = capsys.readouterr()
    assert "200,000 already in the bank" in out and BankedHash.objects.filter(bank=bank).count() == LINES


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    HashBankFactory(name="b")
    with pytest.raises(CommandError, match="No bank"):
        call_command("hashes_import", str(tmp_path / "x.txt"), bank="nope")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("hashes_import", str(tmp_path / "missing.txt"), bank="b")
    with pytest.raises(CommandError, match="--batch"):
        call_command("hashes_import", str(tmp_path / "x.txt"), bank="b", batch=0)
    (tmp_path / "empty.txt").write_bytes(b"")
    call_command("hashes_import", str(tmp_path / "empty.txt"), bank="b", quiet=True)
    assert not BankedHash.objects.exists()
