import math

from hypothesis import given
from hypothesis import strategies as st

from aman.intake.codes import (
    ALPHABET,
    CODE_LENGTH,
    REFERENCE_PATTERN,
    new_follow_up_code,
    new_reference,
    normalize_code,
    normalize_reference,
)


def test_reference_is_short_and_unambiguous() -> None:
    for _ in range(200):
        ref = new_reference()
        assert REFERENCE_PATTERN.match(ref), ref
        assert not set(ref[4:].replace("-", "")) & set("01ILOU")


def test_follow_up_code_has_at_least_60_bits() -> None:
    assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 60
    codes = {new_follow_up_code() for _ in range(1000)}
    assert len(codes) == 1000


def test_references_typed_loosely_are_understood() -> None:
    assert normalize_reference("amn 7k3q 9xz2") == "AMN-7K3Q-9XZ2"
    assert normalize_reference("7K3Q9XZ2") == "AMN-7K3Q-9XZ2"
    assert normalize_reference("AMN-7K3Q-9XZ") == ""
    assert normalize_reference("AMN-0000-0000") == ""


def test_codes_typed_loosely_are_understood() -> None:
    code = new_follow_up_code()
    assert normalize_code(code.lower().replace("-", " ")) == code
    assert normalize_code("short") == ""


@given(st.text(max_size=200))
def test_normalizers_never_crash_and_return_canonical_or_empty(value: str) -> None:
    ref = normalize_reference(value)
    assert ref == "" or REFERENCE_PATTERN.match(ref)
    code = normalize_code(value)
    assert code == "" or len(code) == CODE_LENGTH + 3
