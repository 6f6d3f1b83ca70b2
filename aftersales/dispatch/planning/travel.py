"""Travel times from coordinates: great-circle distance × road factor ÷ regional speed (and,
when set, the part of a long trip beyond ``highway_after_km`` at the highway speed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from aftersales.dispatch.planning.model import Place, TravelMatrix

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class TravelSettings:
    """How far a road trip is and how fast it goes.

    ``road_factor`` turns the great-circle distance into a road distance; the speed of a
    trip is that of the origin's region (``region_speed_kmh``), else ``speed_kmh``. Every
    trip between two different places takes at least ``minimum_minutes`` (parking,
    walking to the equipment). Minutes are rounded up. With ``highway_after_km`` a trip
    drives its first that many road kilometres at the regional speed and the rest at
    ``highway_speed_kmh`` (a trip to another city is not driven at town speed).
    """

    road_factor: float = 1.35
    speed_kmh: float = 30.0
    region_speed_kmh: Mapping[str, float] = field(default_factory=dict)
    minimum_minutes: int = 0
    highway_after_km: float | None = None
    highway_speed_kmh: float = 70.0

    def __post_init__(self) -> None:
        speeds = [self.speed_kmh, self.highway_speed_kmh, *self.region_speed_kmh.values()]
        if self.road_factor <= 0 or min(speeds) <= 0:
            raise ValueError("road factor and speeds must be positive")


def haversine_km(a: Place, b: Place) -> float:
    return float(_haversine(np.array([[a.lat, a.lng]]), np.array([[b.lat, b.lng]]))[0, 0])


def _haversine(
    origins: npt.NDArray[np.float64], destinations: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    lat1 = np.radians(origins[:, 0])[:, None]
    lng1 = np.radians(origins[:, 1])[:, None]
    lat2 = np.radians(destinations[:, 0])[None, :]
    lng2 = np.radians(destinations[:, 1])[None, :]
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    )
    result: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    return result


def distance_matrix_km(places: Sequence[Place]) -> npt.NDArray[np.float64]:
    coords = np.array([[p.lat, p.lng] for p in places], dtype=np.float64).reshape(-1, 2)
    return _haversine(coords, coords)


def build_travel_matrix(
    places: Sequence[Place], settings: TravelSettings | None = None
) -> TravelMatrix:
    """Travel minutes between every pair of ``places`` (same order as the list)."""
    settings = settings or TravelSettings()
    road_km = distance_matrix_km(places) * settings.road_factor
    speeds = np.array(
        [settings.region_speed_kmh.get(p.region, settings.speed_kmh) for p in places],
        dtype=np.float64,
    )
    if settings.highway_after_km is None:
        hours = road_km / speeds[:, None]
    else:
        town = np.minimum(road_km, max(0.0, settings.highway_after_km))
        hours = town / speeds[:, None] + (road_km - town) / settings.highway_speed_kmh
    minutes = np.ceil(hours * 60.0 - 1e-9).astype(np.int64)
    moving = road_km > 1e-6
    minutes = np.where(moving, np.maximum(minutes, settings.minimum_minutes), 0)
    np.fill_diagonal(minutes, 0)
    return TravelMatrix(minutes)
