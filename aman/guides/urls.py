"""URLs of aman.guides; the app owns its full paths (mounted at the site root)."""

from django.urls import URLPattern, URLResolver

app_name = "guides"

urlpatterns: list[URLPattern | URLResolver] = []
