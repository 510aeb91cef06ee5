"""Browsable API documentation (Swagger UI from the sidecar) that needs no CSP exemption.

drf-spectacular's default Swagger page initialises with an inline script and an inline style,
both refused by the site's Content-Security-Policy (scripts and styles from 'self' only). This
page loads its initialising script from the same view (``?script``) and has no inline style, so
the policy stays whole. Every asset is served by the app; nothing comes from a CDN.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "Aman API"
