"""URLs of aman.checks; the app owns its full paths (mounted at the site root)."""

from django.urls import URLPattern, URLResolver

app_name = "checks"

urlpatterns: list[URLPattern | URLResolver] = []
