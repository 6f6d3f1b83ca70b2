"""The warning page and API: the coordinator sees the faults, the check list and the trend
chart's data, converts the list in one step (twice: no more tickets); a technician, a dealer
and a customer get 404; the list is empty for them."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from aftersales.accounts.services import issue_token
from aftersales.quality.services import warnings
from aftersales.quality.tests import warning_world as ww
from aftersales.service.models import Ticket

pytestmark = pytest.mark.django_db


def raised(w):  # type: ignore[no-untyped-def]
    ww.thresholds(month=2)
    ww.fault(w, at=ww.local(2026, 5, 2))
    ww.fault(w, at=ww.local(2026, 5, 3))
    [qw] = warnings.scan(now=ww.local(2026, 5, 20))
    return qw


def client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def api(user) -> Client:  # type: ignore[no-untyped-def]
    _, key = issue_token(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_coordinator_converts_the_check_list_on_the_page() -> None:
    w = ww.build()
    qw = raised(w)
    c = client(w["coordinator"])
    assert qw.number in c.get("/quality/warnings/").content.decode()
    page = c.get(f"/quality/warnings/{qw.pk}/").content.decode()
    assert 'data-testid="chart"' in page and "LED2025002" in page and "LED2025003" in page
    assert 'data-serial="LED2025001"' not in page  # it had the faults
    chart = json.loads(page.split('id="chart-data" type="application/json">')[1].split("<")[0])
    assert (
        chart["months"][-1] == "2026-05" and chart["counts"][-1] == 2 and len(chart["months"]) == 12
    )
    before = Ticket.objects.count()
    resp = c.post(f"/quality/warnings/{qw.pk}/checks/", follow=True)
    assert "已生成 2 张主动排查单" in resp.content.decode()
    assert Ticket.objects.count() == before + 2
    c.post(f"/quality/warnings/{qw.pk}/checks/")
    assert Ticket.objects.count() == before + 2
    page = c.get(f"/quality/warnings/{qw.pk}/").content.decode()
    assert 'data-testid="create-checks"' not in page and "生成主动排查单" in page  # timeline


def test_the_api_gives_the_warning_and_converts_once() -> None:
    w = ww.build()
    qw = raised(w)
    c = api(w["coordinator"])
    listed = c.get("/api/v1/quality/warnings").json()
    assert [i["number"] for i in listed["items"]] == [qw.number]
    body = c.get(f"/api/v1/quality/warnings/{qw.pk}").json()
    assert body["fault_count"] == 2 and len(body["faults"]) == 2
    assert {e["serial_no"] for e in body["check_list"]} == {"LED2025002", "LED2025003"}
    assert body["trend"]["counts"][-1] == 2 and body["state_label"] == "待排查"
    first = c.post(f"/api/v1/quality/warnings/{qw.pk}/checks").json()
    assert first["created"] == 2 and len(first["ticket_numbers"]) == 2
    assert c.post(f"/api/v1/quality/warnings/{qw.pk}/checks").json()["created"] == 0
    body = c.get(f"/api/v1/quality/warnings/{qw.pk}").json()
    assert sorted(e["ticket_number"] for e in body["check_list"]) == sorted(first["ticket_numbers"])


@pytest.mark.parametrize("who", ["tech", "dealer1", "cust1"])
def test_outside_the_quality_roles_a_warning_is_404(who: str) -> None:
    w = ww.build()
    qw = raised(w)
    user = w[who]
    assert client(user).get(f"/quality/warnings/{qw.pk}/").status_code == 404
    assert client(user).post(f"/quality/warnings/{qw.pk}/checks/").status_code == 404
    assert api(user).get(f"/api/v1/quality/warnings/{qw.pk}").status_code == 404
    assert api(user).post(f"/api/v1/quality/warnings/{qw.pk}/checks").status_code == 404
    assert api(user).get("/api/v1/quality/warnings").json()["items"] == []
    assert not Ticket.objects.filter(type="inspection").exists()
