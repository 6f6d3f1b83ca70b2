"""Content-Security-Policy on every response: no inline script, no eval, nothing from elsewhere.

Every script is a static file (static/js, static/vendor); page data travels in
``json_script`` elements and behaviour hangs on data attributes (static/js/app.js), so a
stored value that breaks out of its markup still cannot run. Inline *styles* stay allowed
(``style=`` attributes position the dispatch timeline and ECharts draws with them); htmx's own
indicator ``<style>`` is switched off by the ``htmx-config`` meta tag in base.html.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = POLICY
        return response
