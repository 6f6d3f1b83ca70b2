"""9#10: an appointment that starts after the ticket's on-site due time is warned about
before it is saved; saved once confirmed, and the audit says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aftersales.accounts.services import issue_token
from aftersales.core.errors import NeedsConfirmation
from aftersales.core.models import AuditEvent
from aftersales.service.services import dispatch
from aftersales.service.tests import web_world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    return w.build()


def _dispatched(world):  # type: ignore[no-untyped-def]
    tk = w.ticket(world)
    wo = dispatch.dispatch(actor=world["coordinator"], ticket=tk, technician_ids=[world["tech"].pk])
    due = dispatch.on_site_due(tk)
    assert due is not None
    return tk, wo, due


def test_a_window_after_the_on_site_due_time_needs_confirmation(world) -> None:  # type: ignore[no-untyped-def]
    _tk, wo, due = _dispatched(world)
    start, end = due + dt.timedelta(hours=1), due + dt.timedelta(hours=3)
    with pytest.raises(NeedsConfirmation) as err:
        dispatch.schedule(actor=world["coordinator"], work_order=wo, start=start, end=end)
    assert err.value.code == "appointment_after_due" and "到场将超时" in err.value.message
    wo.refresh_from_db()
    assert wo.window_start is None
    dispatch.schedule(
        actor=world["coordinator"], work_order=wo, start=start, end=end, confirm_late=True
    )
    wo.refresh_from_db()
    assert wo.window_start == start
    event = AuditEvent.objects.filter(object_id=str(wo.pk), verb="schedule").get()
    assert event.payload == {"after_on_site_due": True}


def test_a_window_in_time_is_saved_without_a_warning(world) -> None:  # type: ignore[no-untyped-def]
    _tk, wo, due = _dispatched(world)
    start = max(timezone.now(), due - dt.timedelta(hours=3))
    dispatch.schedule(
        actor=world["coordinator"], work_order=wo, start=start, end=start + dt.timedelta(hours=1)
    )
    wo.refresh_from_db()
    assert wo.window_start == start


def test_the_form_offers_the_confirmation_and_the_api_answers_409(world) -> None:  # type: ignore[no-untyped-def]
    tk, wo, due = _dispatched(world)
    c = Client()
    c.force_login(world["coordinator"])
    html = c.get(reverse("service:ticket_detail", args=[tk.pk])).content.decode()
    local_due = timezone.localtime(due)
    assert f"客户要求的时间晚于到场时限（{local_due:%m-%d %H:%M}），确认超时" in html
    start = timezone.localtime(due + dt.timedelta(hours=1))
    form = {
        "window_start": start.strftime("%Y-%m-%dT%H:%M"),
        "window_end": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    html = c.post(reverse("service:schedule", args=[wo.pk]), form, follow=True).content.decode()
    assert "到场将超时" in html
    wo.refresh_from_db()
    assert wo.window_start is None
    c.post(reverse("service:schedule", args=[wo.pk]), {**form, "confirm_late": "1"})
    wo.refresh_from_db()
    assert wo.window_start is not None
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=world['coordinator'])[1]}")
    body = {"start": start.isoformat(), "end": (start + dt.timedelta(hours=1)).isoformat()}
    resp = api.post(f"/api/v1/work-orders/{wo.pk}/schedule", body, content_type="application/json")
    assert resp.status_code == 409 and resp.json()["code"] == "appointment_after_due"
    resp = api.post(
        f"/api/v1/work-orders/{wo.pk}/schedule",
        {**body, "confirm_late": True},
        content_type="application/json",
    )
    assert resp.status_code == 200
