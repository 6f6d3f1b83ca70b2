"""Found by the schema fuzzer: an /api/ address that matches no operation (``/tickets/abc``,
a typo) answered with the web site's HTML 404 (or the CSRF page for a POST), not the API's
documented ``{code, message}`` JSON."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/tickets/null,null"),
        ("get", "/api/v1/no-such-thing"),
        ("post", "/api/v1/customers/abc/archive"),
        ("patch", "/api/v1/sites/x"),
    ],
)
def test_unmatched_api_path_answers_json_404(method: str, path: str) -> None:
    resp = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert resp.status_code == 404
    assert resp["Content-Type"] == "application/json"
    assert resp.json() == {"code": "not_found", "message": "接口地址不存在"}


def test_web_pages_keep_their_html_404() -> None:
    resp = Client().get("/no-such-page/")
    assert resp.status_code == 404
    assert "application/json" not in resp["Content-Type"]
