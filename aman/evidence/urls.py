"""Evidence in the console (the reporter's uploads go through the intake pages)."""

from django.urls import URLPattern, URLResolver, path

from aman.evidence import views

app_name = "evidence"

_case = "console/cases/<str:reference>/evidence/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(f"{_case}upload", views.upload, name="upload"),
    path(f"{_case}<int:item_id>/", views.item_detail, name="item"),
    path(f"{_case}<int:item_id>/preview", views.item_preview, name="preview"),
    path(f"{_case}<int:item_id>/view", views.item_view, name="view"),
    path(f"{_case}<int:item_id>/original", views.item_original, name="original"),
    path(f"{_case}packet", views.packet_create, name="packet"),
    path(f"{_case}packets/<int:packet_id>", views.packet_download, name="packet_download"),
    path(f"{_case}checklist", views.checklist, name="checklist"),
    path(f"{_case}request", views.request_missing, name="request"),
    path("console/evidence/preferences", views.preferences, name="preferences"),
]
