"""URLs of aman.training; the app owns its full paths (mounted at the site root)."""

from django.urls import path

from aman.training import dashboard, views

app_name = "training"

C = "console/training/"

urlpatterns = [
    path(C, views.home, name="home"),
    path(f"{C}programmes/new/", views.programme_create, name="programme_create"),
    path(f"{C}programmes/<int:programme_id>/", views.programme_detail, name="programme"),
    path(f"{C}programmes/<int:programme_id>/workshops/new/", views.workshop_create, name="workshop_create"),
    path(f"{C}workshops/<int:workshop_id>/", views.workshop_detail, name="workshop"),
    path(f"{C}workshops/<int:workshop_id>/edit/", views.workshop_edit, name="workshop_edit"),
    path(f"{C}workshops/<int:workshop_id>/trainers/", views.workshop_trainers, name="workshop_trainers"),
    path(f"{C}workshops/<int:workshop_id>/import/", views.workshop_import, name="workshop_import"),
    path(f"{C}workshops/<int:workshop_id>/attendance/", views.attendance, name="attendance"),
    path(f"{C}workshops/<int:workshop_id>/attendance/sync/", views.attendance_sync, name="attendance_sync"),
    path(f"{C}workshops/<int:workshop_id>/quiz/<str:phase>/", views.quiz, name="quiz"),
    path(f"{C}workshops/<int:workshop_id>/certificates/", views.certificates_generate, name="certificates_generate"),
    path(f"{C}participants/<int:participant_id>/certificate/", views.participant_certificate, name="certificate"),
    path(
        f"{C}participants/<int:participant_id>/certificate/revoke/", views.certificate_revoke, name="certificate_revoke"
    ),
    path(f"{C}batches/<int:batch_id>/", views.batch, name="batch"),
    path(f"{C}batches/<int:batch_id>/download/", views.batch_download, name="batch_download"),
    path(f"{C}trainers/", views.trainers, name="trainers"),
    path(f"{C}trainers/<int:trainer_id>/", views.trainer_edit, name="trainer_edit"),
    path(f"{C}regions/", views.regions, name="regions"),
    path(f"{C}regions/<int:region_id>/", views.region_edit, name="region_edit"),
    path(f"{C}dashboard/", dashboard.dashboard_view, name="dashboard"),
    path("training/register/<str:token>/", views.register, name="register"),
    path("training/feedback/<str:token>/", views.feedback, name="feedback"),
    path("verify/<str:code>", views.verify, name="verify"),
]
