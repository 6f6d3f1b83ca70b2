"""Content-Security-Policy in real headless Chromium: every main page of several roles is sent
with the policy and loads without a single violation (no inline script, no eval, no inline
``<style>`` from htmx), and a stored part code that closes ``</script>`` cannot run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aftersales import testing as t
from aftersales.approvals.testing import build
from aftersales.catalog.models import Part
from aftersales.core.csp import HEADER
from aftersales.parts.models import MonthlyAnalysis
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

XSS = "</script><svg onload=alert(0)>"
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
"""


def _analysis_with_hostile_part_code() -> MonthlyAnalysis:
    part = Part.objects.create(code=XSS, name="恶意编码配件")
    return MonthlyAnalysis.objects.create(
        number="FX-XSS-1",
        month=timezone.localdate().replace(day=1) - dt.timedelta(days=40),
        figures={"top_parts": [{"code": part.code, "name": part.name, "quantity": 3}]},
        prepared_at=timezone.now(),
    )


def test_main_pages_of_every_role_send_csp_and_cause_no_violation(open_page: Any) -> None:
    w = build()
    tech = t.user("technician", username="techie")
    analysis = _analysis_with_hostile_part_code()
    cat = t.category()
    t.equipment(t.site(w.cust_a), t.product_model(cat), serial_no="CSP-001")
    users = {
        "agent": [],
        "coord": [f"/parts/analyses/{analysis.pk}/"],
        "boss": [],
        "keeper": [],
        "dealer_a": [],
        "cust_a": [],
        tech.username: [],
    }
    seen: set[str] = set()
    visited = 0
    for username, extra in users.items():
        pg = open_page()
        pg.add_init_script(WATCH)
        problems: list[str] = []
        missing: list[str] = []
        dialogs: list[str] = []

        def on_response(resp: Any, missing: list[str] = missing, base: str = pg.base_url) -> None:
            # static files bypass the middleware only under the test server (whitenoise runs
            # inside the policy's middleware in production)
            ours = resp.url.startswith(base) and "/static/" not in resp.url
            if ours and resp.status < 300 and not resp.headers.get(HEADER.lower()):
                missing.append(resp.url)

        pg.on("response", on_response)
        pg.on(
            "console",
            lambda m, problems=problems: (
                problems.append(m.text)
                if "Content Security Policy" in m.text or "Refused" in m.text
                else None
            ),
        )
        pg.on("pageerror", lambda e, problems=problems: problems.append(str(e)))
        pg.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
        browser_login(pg, username, "Passw0rd!x")
        pages = ["/"] + [a.get_attribute("href") or "" for a in pg.locator("nav.mainnav a").all()]
        for path in [*pages, *extra]:
            if not path.startswith("/") or path in seen:
                continue
            seen.add(path)
            resp = pg.goto(pg.base_url + path)
            assert resp is not None and resp.status == 200, (username, path)
            assert "script-src 'self'" in resp.headers[HEADER.lower()], path
            pg.wait_for_load_state("networkidle")
            violations = pg.evaluate("window.__csp")
            assert violations == [], (username, path, violations)
            visited += 1
        assert problems == [], (username, problems)
        assert missing == [], (username, missing)
        assert dialogs == [], (username, dialogs)
    assert visited >= 15  # the roles' navigations really were walked
    assert f"/parts/analyses/{analysis.pk}/" in seen
