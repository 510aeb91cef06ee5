from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from aman.api.docs import ApiDocsView
from aman.core.views import healthz

# The API and the health check come first: they are the most requested, and Django tries the
# patterns in order (the API's answers should not pay for matching every console page first).
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("aman.api.urls")),
    path("", include("aman.intake.urls")),
    path("console/audit/", include("aman.audit.urls")),
    path("console/", include("aman.cases.urls")),
    path("accounts/", include("aman.accounts.urls")),
    path("", include("aman.evidence.urls")),
    path("", include("aman.escalations.urls")),
    path("", include("aman.training.urls")),
    path("", include("aman.guides.urls")),
    path("", include("aman.checks.urls")),
    path("", include("aman.hashbanks.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api-docs"),
]

handler400 = "aman.core.views.bad_request"
handler403 = "aman.core.views.permission_denied"
handler404 = "aman.core.views.page_not_found"
handler500 = "aman.core.views.server_error"
