"""Appointment windows (issue 8 §10): not far out, not in the past, not longer than the
configured limit, end after start — as a rule, and through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.accounts.services import issue_token
from aftersales.service.appointments import WindowLimits, window_problem
from aftersales.service.models import WorkOrder
from aftersales.service.services import dispatch
from aftersales.service.tests import web_world as w

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
LIMITS = WindowLimits(max_hours=12, max_days_ahead=180, past_grace_minutes=180)
H = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    "start,end,field",
    [
        (NOW + H, NOW + 3 * H, None),
        (NOW - 2 * H, NOW - H, None),  # a visit recorded shortly after
        (NOW + 3 * H, NOW + H, "window_end"),
        (NOW + H, NOW + H, "window_end"),
        (NOW - 4 * H, NOW - 3 * H, "window_start"),
        (NOW.replace(year=762), NOW.replace(year=762) + H, "window_start"),
        (NOW + dt.timedelta(days=181), NOW + dt.timedelta(days=181) + H, "window_start"),
        (NOW + H, NOW + H + dt.timedelta(days=3650), "window_end"),
        (NOW + H, NOW + 14 * H, "window_end"),
    ],
)
def test_window_rule(start: dt.datetime, end: dt.datetime, field: str | None) -> None:
    problem = window_problem(start, end, now=NOW, limits=LIMITS)
    assert (problem[0] if problem else None) == field


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start,end,message",
    [
        ("0762-01-01T09:00:00+08:00", "0762-01-01T11:00:00+08:00", "已过去"),
        ("2020-01-01T09:00:00+08:00", "2020-01-01T11:00:00+08:00", "已过去"),
        ("2099-01-01T09:00:00+08:00", "2099-01-01T11:00:00+08:00", "天以后"),
        ("+1", "+3650d", "不能超过"),
        ("+3", "+1", "必须晚于"),
    ],
)
def test_schedule_refuses_bad_windows(start: str, end: str, message: str, settings) -> None:  # type: ignore[no-untyped-def]
    world = w.build()
    wo = dispatch.dispatch(
        actor=world["coordinator"], ticket=w.ticket(world), technician_ids=[world["tech"].pk]
    )
    now = timezone.now()

    def when(text: str) -> str:
        if text.startswith("+"):
            days = text.endswith("d")
            n = int(text[1:].rstrip("d"))
            return (
                now + (dt.timedelta(days=n) if days else dt.timedelta(hours=24 + n))
            ).isoformat()
        return text

    _, key = issue_token(user=world["coordinator"])
    resp = Client().post(
        f"/api/v1/work-orders/{wo.pk}/schedule",
        {"start": when(start), "end": when(end)},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert resp.status_code == 422 and message in resp.json()["message"], resp.content
    assert WorkOrder.objects.get(pk=wo.pk).window_start is None
    # the limit is a setting: a longer window is accepted once allowed
    settings.APPOINTMENT_MAX_HOURS = 24 * 3660
    if message == "不能超过":
        resp = Client().post(
            f"/api/v1/work-orders/{wo.pk}/schedule",
            {"start": when(start), "end": when(end)},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert resp.status_code == 200, resp.content
