"""URLs of aman.training; the app owns its full paths (mounted at the site root)."""

from django.urls import URLPattern, URLResolver

app_name = "training"

urlpatterns: list[URLPattern | URLResolver] = []
