import numpy as np
import pytest

from aman.hashing import codec
from aman.hashing.codec import HashFormatError, from_hex, hamming, parse_line, read_hash_file, to_hex
from aman.hashing.synthetic import random_hashes

A = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def test_hex_round_trip_keeps_every_bit():
    hashes = random_hashes(1000, seed=3)
    assert np.array_equal(from_hex(to_hex(hashes)), hashes)
    assert to_hex(from_hex([A.upper()])) == [A]


def test_hamming_counts_differing_bits():
    assert hamming(A, A) == 0
    flipped = f"{int(A, 16) ^ 0b1011:064x}"
    assert hamming(A, flipped) == 3


@pytest.mark.parametrize("bad", ["", A[:-1], A + "0", "g" * 64, A[:30] + " " + A[31:], "0x" + A[2:]])
def test_from_hex_refuses_what_is_not_a_hash(bad):
    with pytest.raises(HashFormatError):
        from_hex([bad])


def test_parse_line_formats():
    assert parse_line(A) == A
    assert parse_line(f"pdq {A}\r\n") == A
    assert parse_line(f"PDQ\t{A.upper()}") == A
    assert parse_line("md5 d41d8cd98f00b204e9800998ecf8427e") is None
    for bad in ("pdq", f"pdq {A[:-2]}", f"sha1 {A}", "hello world", f"{A} extra"):
        with pytest.raises(HashFormatError):
            parse_line(bad)


def test_read_hash_file_keeps_line_numbers_and_reports_bad_lines(tmp_path):
    B = "0" * 63 + "1"
    text = "\n".join(
        [
            A,  # 0
            f"pdq {B}",  # 1
            "",  # 2 blank: skipped
            "not a hash",  # 3 malformed
            "md5 d41d8cd98f00b204e9800998ecf8427e",  # 4 other type
            A[:-1] + "z",  # 5 malformed (64 chars, one not hex)
            f"Pdq {A.upper()}\r",  # 6 CRLF, upper case
            "pdq " + A[:-4],  # 7 malformed
            B,  # 8, no final newline
        ]
    )
    path = tmp_path / "bank.txt"
    path.write_text(text, encoding="utf-8")
    parsed = read_hash_file(path)
    assert parsed.lines.tolist() == [0, 1, 6, 8]
    assert to_hex(parsed.hashes) == [A, B, A, B]
    assert [line for line, _ in parsed.errors] == [3, 5, 7]
    assert parsed.error_count == 3
    assert parsed.skipped_other_types == 1
    strict = read_hash_file(path, other_types_are_errors=True)
    assert [line for line, _ in strict.errors] == [3, 4, 5, 7]


def test_large_import_across_chunk_boundaries(tmp_path, monkeypatch):
    monkeypatch.setattr(codec, "_CHUNK_BYTES", 4099)  # lines straddle every chunk edge
    hashes = random_hashes(60_000, seed=11)
    lines = to_hex(hashes)
    lines[12345] = "pdq " + lines[12345]
    lines[40000] = "broken"
    path = tmp_path / "big.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parsed = read_hash_file(path)
    keep = np.ones(len(lines), dtype=bool)
    keep[40000] = False
    assert np.array_equal(parsed.lines, np.flatnonzero(keep))
    assert np.array_equal(parsed.hashes, hashes[keep])
    assert parsed.errors == [(40000, "not a PDQ hash line: 'broken'")]


def test_many_errors_are_counted_but_few_kept(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_text("junk\n" * 500 + A + "\n", encoding="utf-8")
    parsed = read_hash_file(path)
    assert parsed.error_count == 500
    assert len(parsed.errors) == 100
    assert parsed.lines.tolist() == [500]
