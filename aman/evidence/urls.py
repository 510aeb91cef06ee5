"""URLs of aman.evidence; the app owns its full paths (mounted at the site root)."""

from django.urls import URLPattern, URLResolver

app_name = "evidence"

urlpatterns: list[URLPattern | URLResolver] = []
