"""The REST API, version 1 (mounted at /api/v1/). The schema is at /api/schema/."""

from django.urls import include, path

from aman.api.cases import views as cases
from aman.api.checks import views as checks
from aman.api.docs import ApiDocsView
from aman.api.escalations import views as escalations
from aman.api.evidence import views as evidence
from aman.api.hashes import views as hashes
from aman.api.reports import views as reports

app_name = "api"

urlpatterns = [
    # Reporters: no account; the follow-up code travels in the X-Follow-Up-Code header.
    path("reports", reports.ReportCreateApi.as_view(), name="report-create"),
    path("reports/<str:reference>", reports.ReportDetailApi.as_view(), name="report-detail"),
    path("reports/<str:reference>/items", reports.ReportItemsAddApi.as_view(), name="report-items"),
    path("reports/<str:reference>/consent", reports.ReportConsentUpdateApi.as_view(), name="report-consent"),
    path("reports/<str:reference>/evidence", evidence.ReportEvidenceAddApi.as_view(), name="report-evidence"),
    # Staff: token or session.
    path("queues", cases.QueueListApi.as_view(), name="queue-list"),
    path("cases", cases.CaseListApi.as_view(), name="case-list"),
    path("cases/<str:reference>", cases.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<str:reference>/triage", cases.CaseTriageApi.as_view(), name="case-triage"),
    path("cases/<str:reference>/assign", cases.CaseAssignApi.as_view(), name="case-assign"),
    path("cases/<str:reference>/transition", cases.CaseTransitionApi.as_view(), name="case-transition"),
    path("cases/<str:reference>/reopen", cases.CaseReopenApi.as_view(), name="case-reopen"),
    path("cases/<str:reference>/notes", cases.CaseNoteCreateApi.as_view(), name="case-notes"),
    path("cases/<str:reference>/messages", cases.CaseMessageCreateApi.as_view(), name="case-messages"),
    path("cases/<str:reference>/evidence", evidence.CaseEvidenceApi.as_view(), name="case-evidence"),
    path("audit", cases.AuditListApi.as_view(), name="audit-list"),
    # Escalations: notices to platforms, police hand-offs, hotline referrals.
    path("cases/<str:reference>/escalations", escalations.CaseEscalationsApi.as_view(), name="case-escalations"),
    path("escalations/<int:escalation_id>", escalations.EscalationDetailApi.as_view(), name="escalation-detail"),
    path("escalations/<int:escalation_id>/send", escalations.EscalationSendApi.as_view(), name="escalation-send"),
    path(
        "escalations/<int:escalation_id>/outcome",
        escalations.EscalationOutcomeApi.as_view(),
        name="escalation-outcome",
    ),
    path("", include("aman.api.escalations.urls")),  # partners answering escalations (partner tokens)
    # Hash banks: staff (token or session) and partners (Authorization: Bearer <partner key>).
    path("hashes/match", hashes.HashMatchApi.as_view(), name="hashes-match"),
    path("hashes/fetch", hashes.HashFetchApi.as_view(), name="hashes-fetch"),
    path("hashes/feedback", hashes.HashFeedbackApi.as_view(), name="hashes-feedback"),
    path("hashes/banks", hashes.HashBankListApi.as_view(), name="hashes-banks"),
    # Integrators ("think before you post", pre-publication checks): an API key per integrator.
    path("check", checks.CheckApi.as_view(), name="check"),
    path("check/outcome", checks.CheckOutcomeApi.as_view(), name="check-outcome"),
    # Browsable documentation that works under the site's Content-Security-Policy.
    path("docs/", ApiDocsView.as_view(url_name="schema"), name="docs"),
]
