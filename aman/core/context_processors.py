from django.conf import settings
from django.http import HttpRequest
from django.utils import translation


def site(request: HttpRequest) -> dict[str, object]:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "site_name": settings.AMAN_SITE_NAME,
        "language_code": language,
        "language_dir": "rtl" if translation.get_language_bidi() else "ltr",
        "available_languages": [
            (code, translation.get_language_info(code)["name_local"]) for code, _ in settings.LANGUAGES
        ],
    }
