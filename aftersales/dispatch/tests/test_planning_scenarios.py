"""Travel times and the field-day generator."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from aftersales.dispatch.planning.model import Place, Severity, TimeWindow
from aftersales.dispatch.planning.scenarios import (
    LUNCH,
    REGION_CENTRES,
    SHIFT,
    SKILLS,
    field_day,
)
from aftersales.dispatch.planning.travel import (
    TravelSettings,
    build_travel_matrix,
    haversine_km,
)

SHANGHAI = Place(31.23, 121.47, "华东")
BEIJING = Place(39.90, 116.40, "华北")


@pytest.fixture
def settings() -> SimpleNamespace:
    """Pure tests without pytest-django: the project-wide autouse fixture writes here."""
    return SimpleNamespace()


def test_haversine_shanghai_beijing() -> None:
    assert haversine_km(SHANGHAI, BEIJING) == pytest.approx(1067, abs=5)
    assert haversine_km(SHANGHAI, SHANGHAI) == 0


def test_travel_matrix_minutes() -> None:
    near = Place(31.23, 121.57, "华东")  # about 9.5 km east of the centre
    fast = TravelSettings(road_factor=1.0, speed_kmh=60.0, minimum_minutes=5)
    matrix = build_travel_matrix([SHANGHAI, near, SHANGHAI], fast).minutes
    km = haversine_km(SHANGHAI, near)
    assert matrix[0, 1] == int(np.ceil(km))  # 60 km/h: one minute per kilometre
    assert matrix[0, 2] == 0 and np.all(np.diag(matrix) == 0)
    slow = TravelSettings(road_factor=1.5, speed_kmh=60.0, region_speed_kmh={"华东": 20.0})
    assert build_travel_matrix([SHANGHAI, near], slow).minutes[0, 1] == int(
        np.ceil(km * 1.5 / 20 * 60)
    )
    tiny = build_travel_matrix([SHANGHAI, Place(31.2301, 121.47, "华东")], fast).minutes
    assert tiny[0, 1] == 5


def test_a_long_trip_goes_at_highway_speed_beyond_the_town_part() -> None:
    """Shanghai → Hangzhou (about 165 km): the first 20 road km at town speed, the rest at
    highway speed — not ten hours at 30 km/h."""
    hangzhou = Place(30.2741, 120.1551, "华东")
    road = haversine_km(SHANGHAI, hangzhou) * 1.35
    town = TravelSettings(road_factor=1.35, speed_kmh=30.0)
    mixed = replace(town, highway_after_km=20.0, highway_speed_kmh=70.0)
    slow = build_travel_matrix([SHANGHAI, hangzhou], town).minutes[0, 1]
    fast = build_travel_matrix([SHANGHAI, hangzhou], mixed).minutes[0, 1]
    assert slow == int(np.ceil(road / 30 * 60))
    assert fast == int(np.ceil((20 / 30 + (road - 20) / 70) * 60))
    assert fast < 240 < 400 < slow
    near = Place(31.23, 121.57, "华东")  # a trip in town is unchanged
    assert np.array_equal(
        build_travel_matrix([SHANGHAI, near], town).minutes,
        build_travel_matrix([SHANGHAI, near], mixed).minutes,
    )


def test_field_day_is_deterministic_and_realistic() -> None:
    first = field_day(50, seed=4)
    second = field_day(50, seed=4)
    assert first.problem.jobs == second.problem.jobs
    assert first.problem.technicians == second.problem.technicians
    assert np.array_equal(first.problem.travel.minutes, second.problem.travel.minutes)
    assert field_day(50, seed=5).problem.jobs != first.problem.jobs

    problem = first.problem
    assert len(problem.jobs) == 50
    assert set(first.region.values()) == set(REGION_CENTRES)
    for job in problem.jobs:
        place = problem.places[job.location]
        assert haversine_km(place, Place(*REGION_CENTRES[first.region[job.id]])) < 60
        assert job.required_skill in SKILLS
        assert (
            job.weight == {"major": 8, "urgent": 4, "normal": 2, "low": 1}[first.severity[job.id]]
        )
        assert TimeWindow(7 * 60, 18 * 60).contains(job.window.earliest)
        assert job.must_do
    for tech in problem.technicians:
        assert tech.skills and tech.skills <= set(SKILLS)
        assert (tech.shift, tech.lunch) == (SHIFT, LUNCH)
    urgent = [j for j in problem.jobs if first.severity[j.id] in (Severity.MAJOR, Severity.URGENT)]
    assert all(j.window.latest - j.window.earliest == 120 for j in urgent)


def test_every_needed_skill_has_a_technician_in_its_region() -> None:
    day = field_day(200, seed=1)
    for job in day.problem.jobs:
        region = day.region[job.id]
        assert any(
            day.region[t.id] == region and job.required_skill in t.skills
            for t in day.problem.technicians
        )


def test_fixed_load_gives_the_crew_size() -> None:
    day = field_day(100, seed=2, jobs_per_technician=4.0)
    # 40 / 30 / 30 jobs in 华东 / 华北 / 华南, crews rounded per region
    assert len(day.problem.technicians) == sum(round(n / 4.0) for n in (40, 30, 30))
    assert day.jobs_per_technician == 4.0
