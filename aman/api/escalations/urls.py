"""Partner API paths (mounted under /api/v1/ inside the "api" namespace)."""

from django.urls import path

from aman.api.escalations import partner

urlpatterns = [
    # Partners (Authorization: Bearer <partner token>): the escalations sent to them, and their answers.
    path("partner/escalations", partner.PartnerEscalationListApi.as_view(), name="partner-escalation-list"),
    path(
        "partner/escalations/<str:reference>",
        partner.PartnerEscalationDetailApi.as_view(),
        name="partner-escalation-detail",
    ),
    path(
        "partner/escalations/<str:reference>/outcome",
        partner.PartnerOutcomeApi.as_view(),
        name="partner-escalation-outcome",
    ),
]
