"""The planner's parameters as the administrator edits them: a speed of 0 (every trip divided
by zero) or a region speed that is not a positive number is refused, and nothing is saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.dispatch.models import PlannerSettings

pytestmark = pytest.mark.django_db

FORM = {
    "road_factor": "1.35",
    "speed_kmh": "30.0",
    "region_speeds": "{}",
    "minimum_travel_minutes": "5",
    "highway_after_km": "20.0",
    "highway_speed_kmh": "70.0",
    "default_service_minutes": "90",
    "service_minutes": "{}",
    "remote_service_minutes": "45",
    "appointment_window_minutes": "60",
    "lunch_flex_minutes": "30",
    "screen_budget_seconds": "5.0",
    "background_budget_seconds": "30.0",
    "inline_max_jobs": "60",
}


@pytest.fixture
def admin_client() -> Client:
    c = Client()
    c.force_login(t.user("admin", is_staff=True, is_superuser=True))
    return c


def _post(client: Client, row: PlannerSettings, **changes: Any) -> str:
    r = client.post(f"/admin/dispatch/plannersettings/{row.pk}/change/", {**FORM, **changes})
    return str(r.status_code) if r.status_code == 302 else r.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("speed_kmh", "0", "车速不能小于 1 km/h"),
        ("highway_speed_kmh", "0", "车速不能小于 1 km/h"),
        ("road_factor", "0.5", "1"),
        ("region_speeds", '{"EAST": 0}', "片区车速须为不小于 1 的数字"),
        ("region_speeds", '{"EAST": "fast"}', "片区车速须为不小于 1 的数字"),
        ("region_speeds", "[24]", "片区车速须为不小于 1 的数字"),
        ("remote_service_minutes", "0", "远程服务时长不能少于 1 分钟"),
    ],
)
def test_bad_speeds_are_refused_and_nothing_changes(
    admin_client: Client, field: str, value: str, message: str
) -> None:
    row = PlannerSettings.objects.create()
    page = _post(admin_client, row, **{field: value})
    assert page != "302" and message in page
    row.refresh_from_db()
    assert (row.speed_kmh, row.highway_speed_kmh, row.road_factor, row.region_speeds) == (
        Decimal("30.0"),
        Decimal("70.0"),
        Decimal("1.35"),
        {},
    )


def test_a_good_edit_is_saved(admin_client: Client) -> None:
    row = PlannerSettings.objects.create()
    assert _post(admin_client, row, speed_kmh="24.5", region_speeds='{"EAST": 22}') == "302"
    row.refresh_from_db()
    assert row.speed_kmh == Decimal("24.5") and row.region_speeds == {"EAST": 22}
