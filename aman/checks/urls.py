"""URLs of aman.checks; the app owns its full paths (mounted at the site root)."""

from django.urls import path

from aman.checks import views

app_name = "checks"

urlpatterns = [
    path("console/integrations/", views.integrations, name="integrations"),
    path("console/integrations/<int:pk>/", views.integration_detail, name="integration"),
    path("console/integrations/<int:pk>/revoke/", views.integration_revoke, name="integration-revoke"),
    path("console/duty/", views.duty, name="duty"),
    path("console/suggestions/<int:pk>/confirm/", views.suggestion_confirm, name="suggestion-confirm"),
    path("console/suggestions/<int:pk>/correct/", views.suggestion_correct, name="suggestion-correct"),
    path("console/alerts/<int:pk>/dismiss/", views.alert_dismiss, name="alert-dismiss"),
    path("console/moderation/", views.moderation_page, name="moderation"),
    path("console/moderation/export.<str:fmt>", views.moderation_export, name="moderation-export"),
    path("checks/widget.js", views.widget_js, name="widget"),
    path("checks/demo/", views.demo, name="demo"),
    path("checks/demo/check", views.demo_check, name="demo-check"),
    path("checks/demo/check/outcome", views.demo_outcome, name="demo-outcome"),
    path("checks/demo/post/", views.demo_post, name="demo-post"),
]
