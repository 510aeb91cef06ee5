import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from aman.core.middleware import ClientPrivacyMiddleware
from aman.core.text import clean_user_text, normalize_for_search


def _seen(**meta: str) -> HttpRequest:
    captured: list[HttpRequest] = []

    def view(request: HttpRequest) -> HttpResponse:
        captured.append(request)
        return HttpResponse()

    ClientPrivacyMiddleware(view)(RequestFactory().get("/", **meta))
    return captured[0]


def test_views_never_see_the_client_address_or_user_agent() -> None:
    request = _seen(REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="Phone/1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert request.META["REMOTE_ADDR"] == "0.0.0.0"
    assert "HTTP_USER_AGENT" not in request.META
    assert "HTTP_X_FORWARDED_FOR" not in request.META
    assert "198.51.100.4" not in request.client_token  # type: ignore[attr-defined]


def test_the_rate_limit_token_separates_clients_without_revealing_them() -> None:
    a = _seen(REMOTE_ADDR="198.51.100.4").client_token  # type: ignore[attr-defined]
    b = _seen(REMOTE_ADDR="198.51.100.5").client_token  # type: ignore[attr-defined]
    assert a != b and len(a) == 24


@override_settings(AMAN_TRUST_X_FORWARDED_FOR=True)
def test_behind_a_trusted_proxy_the_forwarded_address_is_used_for_the_token() -> None:
    a = _seen(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4").client_token  # type: ignore[attr-defined]
    b = _seen(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.5").client_token  # type: ignore[attr-defined]
    assert a != b


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("أَحْمَد", "احمد"),
        ("إسلام", "اسلام"),
        ("مدرسة", "مدرسه"),
        ("مستشفى", "مستشفي"),
        ("جمـــيل", "جميل"),
        ("کوردی", "كوردي"),
        ("TikTok  ACCOUNT", "tiktok account"),
        ("٠٧٧٠", "0770"),
    ],
)
def test_arabic_search_folding(raw: str, folded: str) -> None:
    assert normalize_for_search(raw) == folded


def test_clean_user_text_removes_nulls_controls_and_bidi_overrides_but_keeps_kurdish_joiners() -> None:
    assert clean_user_text("a\x00b\x07c") == "abc"
    assert clean_user_text("file\u202egnp.exe") == "filegnp.exe"
    assert clean_user_text("می\u200cخوام") == "می\u200cخوام"
