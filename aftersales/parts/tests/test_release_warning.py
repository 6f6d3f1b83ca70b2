"""9#10: a production due date after the date promised to the customer is warned about
before the release is saved; the cycle is the configured rule, never a written 12."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.accounts.services import issue_token
from aftersales.approvals.models import DeadlineRule
from aftersales.core.errors import NeedsConfirmation
from aftersales.core.models import AuditEvent
from aftersales.parts.models import PartsRequest
from aftersales.parts.services import requests
from aftersales.parts.tests.helpers import approved_request

pytestmark = pytest.mark.django_db


def _promised_in(w, days: int) -> PartsRequest:  # type: ignore[no-untyped-def]
    now = timezone.now()
    r = approved_request(w, now=now)
    PartsRequest.objects.filter(pk=r.pk).update(
        committed_date=timezone.localdate(now) + dt.timedelta(days=days)
    )
    r.refresh_from_db()
    return r


def test_release_after_the_promise_needs_confirmation(w) -> None:  # type: ignore[no-untyped-def]
    r = _promised_in(w, 5)  # production takes 12 days
    with pytest.raises(NeedsConfirmation) as err:
        requests.release(actor=w.agent, request=r, group="parts_group")
    assert err.value.code == "production_after_promise" and err.value.status == 409
    assert "晚于向客户承诺的交付日期" in err.value.message and "12天" in err.value.message
    r.refresh_from_db()
    assert r.state != "in_production" and r.released_at is None
    requests.release(actor=w.agent, request=r, group="parts_group", confirm_late=True)
    r.refresh_from_db()
    assert r.state == "in_production"
    event = AuditEvent.objects.filter(
        object_id=str(r.pk), to_state="in_production", payload__has_key="after_promise"
    ).get()
    assert event.payload["after_promise"] is True


def test_release_within_the_promise_is_not_warned(w) -> None:  # type: ignore[no-untyped-def]
    r = _promised_in(w, 14)
    requests.release(actor=w.agent, request=r, group="parts_group")
    r.refresh_from_db()
    assert r.state == "in_production"


def test_the_cycle_shown_and_checked_is_the_configured_rule(w) -> None:  # type: ignore[no-untyped-def]
    DeadlineRule.objects.filter(code="parts.production").update(amount=3)
    r = _promised_in(w, 5)
    c = Client()
    c.force_login(w.agent)
    html = c.get(f"/parts/requests/{r.pk}/").content.decode()
    assert "下单生产（3天生产周期）" in html and "12天" not in html
    assert 'data-testid="confirm-late"' not in html  # 3 days fit in the 5 promised
    resp = c.post(f"/parts/requests/{r.pk}/act/release/", {"group": "parts_group"}, follow=True)
    assert "已下单，按3天生产周期跟踪" in resp.content.decode()


def test_web_and_api_warn_then_accept_the_confirmation(w) -> None:  # type: ignore[no-untyped-def]
    r = _promised_in(w, 5)
    c = Client()
    c.force_login(w.agent)
    html = c.get(f"/parts/requests/{r.pk}/").content.decode()
    assert 'data-testid="confirm-late"' in html
    html = c.post(
        f"/parts/requests/{r.pk}/act/release/", {"group": "parts_group"}, follow=True
    ).content.decode()
    assert "晚于向客户承诺的交付日期" in html
    r.refresh_from_db()
    assert r.released_at is None
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=w.agent)[1]}")
    url = f"/api/v1/parts/requests/{r.pk}/release"
    resp = api.post(url, {"group": "parts_group"}, content_type="application/json")
    assert resp.status_code == 409 and resp.json()["code"] == "production_after_promise"
    body = {"group": "parts_group", "confirm_late": True}
    resp = api.post(url, body, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "in_production"
