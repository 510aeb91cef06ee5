"""URLs of aman.escalations; the app owns its full paths (mounted at the site root)."""

from django.urls import URLPattern, URLResolver, path

from aman.escalations import views

app_name = "escalations"

_one = "console/escalations/<int:escalation_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("console/escalations/", views.escalation_list, name="list"),
    path("console/escalations/report/", views.response_report, name="report"),
    path("console/cases/<str:reference>/escalations/new", views.escalation_new, name="new"),
    path(_one, views.escalation_detail, name="detail"),
    path(f"{_one}send", views.escalation_send, name="send"),
    path(f"{_one}approve", views.escalation_approve, name="approve"),
    path(f"{_one}retry", views.escalation_retry, name="retry"),
    path(f"{_one}cancel", views.escalation_cancel, name="cancel"),
    path(f"{_one}sent", views.escalation_manual_sent, name="manual_sent"),
    path(f"{_one}outcome", views.escalation_outcome, name="outcome"),
    path(f"{_one}pdf", views.escalation_pdf, name="pdf"),
    path(f"{_one}recheck", views.escalation_recheck, name="recheck"),
    path("console/escalations/transparency/", views.transparency_report, name="transparency"),
    path("console/partners/", views.partner_list, name="partners"),
    path("console/partners/new", views.partner_edit, name="partner_new"),
    path("console/partners/<int:partner_id>/", views.partner_edit, name="partner"),
    path("console/partners/<int:partner_id>/tokens/new", views.partner_token_new, name="partner_token_new"),
    path(
        "console/partners/<int:partner_id>/tokens/<int:token_id>/revoke",
        views.partner_token_revoke_view,
        name="partner_token_revoke",
    ),
]
