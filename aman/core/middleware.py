"""Request middleware: client privacy and language choice."""

import hashlib
import hmac
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

# Request headers that identify a client. They are removed before any view, form, log or
# error report can see them.
_IDENTIFYING_META = (
    "REMOTE_ADDR",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_USER_AGENT",
)


def _client_address(request: HttpRequest) -> str:
    if getattr(settings, "AMAN_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


class ClientPrivacyMiddleware:
    """Replace the client's address with a keyed, daily-rotating token used only for rate limits.

    No reporter IP address or user agent is stored anywhere: not in the database, the logs
    or the cache. The token cannot be reversed without the secret and changes every day.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        day = timezone.now().strftime("%Y-%m-%d")
        message = f"{day}|{_client_address(request)}".encode()
        secret = str(settings.SECRET_KEY).encode()
        request.client_token = hmac.new(secret, message, hashlib.sha256).hexdigest()[:24]  # type: ignore[attr-defined]
        for key in _IDENTIFYING_META:
            request.META.pop(key, None)
        request.META["REMOTE_ADDR"] = "0.0.0.0"  # noqa: S104 - a placeholder, never a real address
        return self.get_response(request)


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    codes = {c for c, _ in settings.LANGUAGES}
    return code if code in codes else None


class LanguageMiddleware:
    """Arabic unless the person chose otherwise (cookie); the API honours Accept-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if request.path.startswith("/api/"):
            header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
            if header:
                language = _supported(translation.get_language_from_request(request)) or language
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary", "")
        if "Accept-Language" not in patch:
            response.headers["Vary"] = f"{patch}, Accept-Language" if patch else "Accept-Language"
        return response


def client_token(request: HttpRequest) -> str:
    """The keyed, daily token that stands for the client in rate limits (never the address)."""
    return str(getattr(request, "client_token", ""))
