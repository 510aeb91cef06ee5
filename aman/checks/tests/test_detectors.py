"""The pre-publication detectors: formats per country, checksums, spans, links, markers."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aman.checks.detectors import (
    detect,
    egypt_id_valid,
    iban_valid,
    link_reasons,
    luhn_valid,
    normalize_digits,
    registrable_domain,
    saudi_id_valid,
    uae_id_valid,
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in detect(text)]


def with_luhn(prefix: str) -> str:
    return next(prefix + d for d in "0123456789" if luhn_valid(prefix + d))


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("اتصل بي 07701234567", "IQ"),
        ("+964 770 123 4567", "IQ"),
        ("00964 7801234567", "IQ"),
        ("+212 6 12 34 56 78", "MA"),
        ("+966 55 123 4567", "SA"),
        ("0551234567", "SA"),
        ("01012345678", "EG"),
        ("+20 100 123 4567", "EG"),
        ("+971 50 123 4567", "AE"),
        ("+216 20 123 456", "TN"),
        ("+213 5 55 12 34 56", "DZ"),
        ("+962 79 123 4567", "JO"),
        ("0791234567", "JO"),
    ],
)
def test_phones_per_country(text: str, country: str) -> None:
    found = [f for f in detect(text) if f.kind == "phone"]
    assert len(found) == 1, found
    assert country in found[0].detail["countries"]
    assert text.endswith(found[0].text)


def test_arabic_indic_digits_are_matched_and_spans_stay_in_the_original() -> None:
    text = "رقمي ٠٧٧٠١٢٣٤٥٦٧ وأيضاً ۰۷۹۱۲۳۴۵۶۷"
    found = [f for f in detect(text) if f.kind == "phone"]
    assert [f.text for f in found] == ["٠٧٧٠١٢٣٤٥٦٧", "۰۷۹۱۲۳۴۵۶۷"]
    for f in found:
        assert text[f.start : f.end] == f.text
    assert normalize_digits("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹") == "01234567890123456789"


def test_two_numbers_side_by_side_are_two_findings() -> None:
    assert kinds("0551234567 0791234567") == [("phone", "0551234567"), ("phone", "0791234567")]


@pytest.mark.parametrize("text", ["Order 12345678 shipped", "2024 was 123 days", "pi 3.14159", "سريع", "السرير"])
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert detect(text) == []


def test_saudi_id_luhn() -> None:
    good = with_luhn("104567890")
    assert saudi_id_valid(good)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert not saudi_id_valid(bad)
    assert kinds(f"هوية {good}") == [("national_id", good)]
    assert kinds(f"رصيد {bad}") == []
    # With an identity word nearby a 10-digit number may still be a Jordanian national number.
    assert all(f.detail.get("country") != "SA" for f in detect(f"هوية {bad}"))


def test_uae_id_luhn_with_dashes() -> None:
    good = with_luhn("78419901234567")
    assert uae_id_valid(good)
    dashed = f"{good[:3]}-{good[3:7]}-{good[7:14]}-{good[14]}"
    assert kinds(f"Emirates ID {dashed}") == [("national_id", dashed)]


def test_egypt_id_structure() -> None:
    assert egypt_id_valid("29001011234567")  # 1990-01-01, governorate 12
    assert not egypt_id_valid("29002301234567")  # 30 February
    assert not egypt_id_valid("29001019934567")  # governorate 99 does not exist
    assert not egypt_id_valid("49001011234567")  # century digit
    assert kinds("الرقم القومي 29001011234567")[0] == ("national_id", "29001011234567")


def test_ids_without_checksum_need_context() -> None:
    assert kinds("Total 123456789012 items") == []
    assert kinds("البطاقة الوطنية 199012345678") == [("national_id", "199012345678")]
    assert kinds("CIN : BK12345") == [("national_id", "BK12345")]
    assert kinds("Ref BK12345") == []
    found = detect("NIN 119900123456789012")
    assert [(f.kind, f.detail["country"]) for f in found] == [("national_id", "DZ")]


def test_iban_mod97_and_lengths() -> None:
    assert iban_valid("SA0380000000608010167519")
    assert iban_valid("FR7630006000011234567890189")
    assert not iban_valid("SA0380000000608010167518")
    assert not iban_valid("SA038000000060801016751")  # too short for SA
    text = "حوّل إلى SA03 8000 0000 6080 1016 7519 اليوم"
    assert kinds(text) == [("iban", "SA03 8000 0000 6080 1016 7519")]
    assert kinds("SA03 8000 0000 6080 1016 7518") != [("iban", "SA03 8000 0000 6080 1016 7518")]


def test_emails() -> None:
    assert kinds("write to press.office@ministry.gov.iq today") == [("email", "press.office@ministry.gov.iq")]
    assert kinds("not an email: a@b") == []


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("وثيقة سري للغاية", "سري للغاية"),
        ("هذه المذكرة للاستخدام الداخلي فقط", "للاستخدام الداخلي"),
        ("Document CONFIDENTIEL", "confidentiel"),
        ("à usage interne", "à usage interne"),
        ("Internal use only - do not share", "internal use only"),
        ("سرّي", "سري"),
    ],
)
def test_sensitive_markers(text: str, marker: str) -> None:
    found = [f for f in detect(text) if f.kind == "sensitive"]
    assert found and found[0].detail["marker"] == marker


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://facebook.com.login-verify.xyz/a", "brand_in_other_domain"),
        ("http://paypa1.com", "lookalike"),
        ("faceb00k.com", "lookalike"),
        ("https://xn--pypal-4ve.com", "punycode"),
        ("https://аpple.com", "mixed_script"),
        ("http://192.168.1.1/login", "ip_address"),
        ("bit.ly/x1y2", "shortener"),
        ("https://qov.sa", "lookalike"),
        ("https://absher-sa.com", "brand_in_other_domain"),
        ("https://paypal.com@evil.example/", "userinfo"),
    ],
)
def test_suspicious_links(url: str, reason: str) -> None:
    found = [f for f in detect(f"اضغط هنا {url} الآن") if f.kind == "suspicious_link"]
    assert found, url
    assert reason in found[0].detail["reasons"]


@pytest.mark.parametrize(
    "url", ["https://www.facebook.com/page", "https://absher.sa", "https://gov.iq/news", "example.org"]
)
def test_official_links_are_fine(url: str) -> None:
    assert [f for f in detect(url) if f.kind == "suspicious_link"] == []
    assert link_reasons(url)[1] == []


def test_registrable_domain() -> None:
    assert registrable_domain("a.b.gov.iq") == "b.gov.iq"
    assert registrable_domain("login.facebook.com") == "facebook.com"


_alphabet = st.sampled_from(
    [
        *list("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹ +-.()@:/abcxyzSAFR"),
        "سري",
        " للاستخدام الداخلي",
        "confidential",
        "paypa1.com",
        "http://",
        "0770",
        "+966",
        "\u202e",
        "\x00",
        "é",
        "ـ",
        "ّ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_alphabet, max_size=60).map("".join))
def test_spans_always_match_the_text(text: str) -> None:
    for f in detect(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_a_phone_in_any_text_is_found_at_its_place(before: str, after: str) -> None:
    phone = "+966 55 123 4567"
    text = f"{before} {phone} {after}"
    found = [f for f in detect(text) if f.kind == "phone" and f.text == phone]
    for f in detect(text):
        assert text[f.start : f.end] == f.text
    assert any(f.start == len(before) + 1 for f in found)
