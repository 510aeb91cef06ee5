"""URLs of aman.escalations; the app owns its full paths (mounted at the site root)."""

from django.urls import URLPattern, URLResolver

app_name = "escalations"

urlpatterns: list[URLPattern | URLResolver] = []
