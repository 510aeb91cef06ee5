"""URLs of aman.hashbanks; the app owns its full paths (mounted at the site root)."""

from django.urls import URLPattern, URLResolver

app_name = "hashbanks"

urlpatterns: list[URLPattern | URLResolver] = []
