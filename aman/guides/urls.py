"""URLs of aman.guides; the app owns its full paths (mounted at the site root)."""

from django.urls import URLPattern, URLResolver, path

from aman.guides import console_views, views

app_name = "guides"

urlpatterns: list[URLPattern | URLResolver] = [
    path("guides/", views.guide_list, name="list"),
    path("guides/<slug:slug>/", views.guide_detail, name="detail"),
    path("self-check/", views.selfcheck_index, name="selfcheck_index"),
    path("self-check/r/<str:token>/", views.selfcheck_saved, name="selfcheck_saved"),
    path("self-check/r/<str:token>/delete/", views.selfcheck_saved_delete, name="selfcheck_saved_delete"),
    path("self-check/<slug:platform>/", views.selfcheck, name="selfcheck"),
    path("risk-assessment/", views.risk_public, name="risk_public"),
    # Console
    path("console/guides/", console_views.guide_list, name="console_list"),
    path("console/guides/new/", console_views.guide_create, name="console_create"),
    path("console/guides/send/<str:reference>/", console_views.send_guide, name="console_send"),
    path("console/guides/<slug:slug>/", console_views.guide_page, name="console_guide"),
    path("console/guides/<slug:slug>/details/", console_views.guide_meta, name="console_meta"),
    path("console/guides/<slug:slug>/<str:language>/edit/", console_views.guide_edit, name="console_edit"),
    path("console/guides/<slug:slug>/<str:language>/<int:number>/", console_views.version_page, name="console_version"),
    path(
        "console/guides/<slug:slug>/<str:language>/<int:number>/review/",
        console_views.version_review,
        name="console_review",
    ),
    path(
        "console/guides/<slug:slug>/<str:language>/<int:number>/publish/",
        console_views.version_publish,
        name="console_publish",
    ),
    path("console/assessments/", console_views.organisation_list, name="console_organisations"),
    path("console/assessments/organisations/<int:pk>/", console_views.organisation_page, name="console_organisation"),
    path(
        "console/assessments/organisations/<int:pk>/new/", console_views.assessment_new, name="console_assessment_new"
    ),
    path("console/assessments/<int:pk>/", console_views.assessment_page, name="console_assessment"),
    path("console/assessments/<int:pk>/pdf/", console_views.assessment_pdf, name="console_assessment_pdf"),
]
