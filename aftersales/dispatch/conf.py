"""The planner's parameters as a plain value: the latest active ``PlannerSettings`` row, or
the defaults of its fields when an administrator has not saved one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from aftersales.dispatch.models import PlannerSettings
from aftersales.dispatch.planning.travel import TravelSettings


@dataclass(frozen=True)
class PlannerConfig:
    road_factor: float = 1.35
    speed_kmh: float = 30.0
    region_speeds: Mapping[str, float] = field(default_factory=dict)
    minimum_travel_minutes: int = 5
    highway_after_km: float | None = 20.0
    highway_speed_kmh: float = 70.0
    default_service_minutes: int = 90
    service_minutes: Mapping[str, int] = field(default_factory=dict)
    remote_service_minutes: int = 45
    appointment_window_minutes: int = 60
    lunch_flex_minutes: int = 30
    screen_budget_seconds: float = 5.0
    background_budget_seconds: float = 30.0
    inline_max_jobs: int = 60

    @property
    def travel(self) -> TravelSettings:
        return TravelSettings(
            road_factor=self.road_factor,
            speed_kmh=self.speed_kmh,
            region_speed_kmh=dict(self.region_speeds),
            minimum_minutes=self.minimum_travel_minutes,
            highway_after_km=self.highway_after_km,
            highway_speed_kmh=self.highway_speed_kmh,
        )

    def service_minutes_for(self, skill: str | None) -> int:
        minutes = self.service_minutes.get(skill or "", self.default_service_minutes)
        return max(1, int(minutes))


def planner_config() -> PlannerConfig:
    row = PlannerSettings.objects.active().order_by("-created_at", "-id").first()
    if row is None:
        row = PlannerSettings()
    return PlannerConfig(
        road_factor=float(row.road_factor),
        speed_kmh=float(row.speed_kmh),
        region_speeds={str(k): float(v) for k, v in (row.region_speeds or {}).items()},
        minimum_travel_minutes=row.minimum_travel_minutes,
        highway_after_km=float(row.highway_after_km) if row.highway_after_km else None,
        highway_speed_kmh=float(row.highway_speed_kmh),
        default_service_minutes=row.default_service_minutes,
        service_minutes={str(k): int(v) for k, v in (row.service_minutes or {}).items()},
        remote_service_minutes=max(1, row.remote_service_minutes),
        appointment_window_minutes=row.appointment_window_minutes,
        lunch_flex_minutes=row.lunch_flex_minutes,
        screen_budget_seconds=float(row.screen_budget_seconds),
        background_budget_seconds=float(row.background_budget_seconds),
        inline_max_jobs=row.inline_max_jobs,
    )
