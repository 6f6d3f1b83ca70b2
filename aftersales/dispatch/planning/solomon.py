"""Solomon VRPTW instances as planning problems (external benchmark, read in place).

DIMACS convention, as PyVRP's ``read(path, round_func="dimacs")``: every value is scaled by
ten and every Euclidean edge is truncated to an integer, so one time unit is a tenth of the
instance's unit and a plan's total travel ÷ 10 is its DIMACS distance. Vehicles are
technicians with the depot as base, the depot's due date as end of shift and the vehicle
capacity as parts capacity; demands are the jobs' ``demand``.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from aftersales.dispatch.planning.model import (
    Job,
    PlanningProblem,
    Technician,
    TimeWindow,
    TravelMatrix,
)

SCALE = 10
FAMILIES = ("C1", "C2", "R1", "R2", "RC1", "RC2")


def data_root() -> Path:
    """``$SOLOMON_DIR``, else ``../shared/data/solomon`` next to the repository, else
    ``/work/shared/data/solomon`` (a clone elsewhere on the workplace machine)."""
    configured = os.environ.get("SOLOMON_DIR")
    if configured:
        return Path(configured)
    repo = Path(__file__).resolve().parents[3]
    beside = repo.parent / "shared" / "data" / "solomon"
    workplace = Path("/work/shared/data/solomon")
    return beside if beside.exists() or not workplace.exists() else workplace


@dataclass(frozen=True)
class SolomonInstance:
    name: str
    vehicles: int
    capacity: int
    coords: tuple[tuple[float, float], ...]
    demands: tuple[int, ...]
    ready: tuple[int, ...]
    due: tuple[int, ...]
    service: tuple[int, ...]

    @property
    def family(self) -> str:
        return family_of(self.name)


def family_of(name: str) -> str:
    """``"RC105"`` → ``"RC1"``."""
    letters = name.upper().rstrip("0123456789")
    return name.upper()[: len(letters) + 1]


def read_instance(path: Path) -> SolomonInstance:
    """Parse an original Solomon text file (depot first, then the customers)."""
    lines = [line.split() for line in path.read_text().splitlines()]
    name = lines[0][0]
    vehicle_row = next(i for i, row in enumerate(lines) if row[:2] == ["NUMBER", "CAPACITY"])
    vehicles, capacity = (int(v) for v in lines[vehicle_row + 1])
    rows = [row for row in lines if len(row) == 7 and row[0].isdigit()]
    return SolomonInstance(
        name=name,
        vehicles=vehicles,
        capacity=capacity,
        coords=tuple((float(r[1]), float(r[2])) for r in rows),
        demands=tuple(int(r[3]) for r in rows),
        ready=tuple(int(r[4]) for r in rows),
        due=tuple(int(r[5]) for r in rows),
        service=tuple(int(r[6]) for r in rows),
    )


def dimacs_matrix(coords: tuple[tuple[float, float], ...]) -> npt.NDArray[np.int64]:
    """Euclidean distances × 10, truncated (computed as VRPLIB does, so equal to PyVRP's
    ``read(..., round_func="dimacs")``)."""
    points = np.asarray(coords, dtype=np.float64)
    squares = (points**2).sum(axis=1)
    distance = np.add.outer(squares, squares) - 2 * (points @ points.T)
    np.fill_diagonal(distance, 0)
    truncated: npt.NDArray[np.int64] = (SCALE * np.sqrt(distance)).astype(np.int64)
    return truncated


def to_problem(instance: SolomonInstance) -> PlanningProblem:
    """Depot = place 0 (every technician's base); customer *i* = job ``"i"`` at place *i*."""
    jobs = tuple(
        Job(
            id=str(i),
            location=i,
            service_minutes=SCALE * instance.service[i],
            window=TimeWindow(SCALE * instance.ready[i], SCALE * instance.due[i]),
            weight=1,
            demand=SCALE * instance.demands[i],
        )
        for i in range(1, len(instance.coords))
    )
    shift = TimeWindow(SCALE * instance.ready[0], SCALE * instance.due[0])
    technicians = tuple(
        Technician(
            id=f"V{k + 1:02d}",
            start_location=0,
            end_location=0,
            shift=shift,
            capacity=SCALE * instance.capacity,
        )
        for k in range(instance.vehicles)
    )
    return PlanningProblem(
        jobs=jobs,
        technicians=technicians,
        travel=TravelMatrix(dimacs_matrix(instance.coords)),
        hard_windows=True,
        schedule_late_visits=False,
    )


def instance_paths(root: Path | None = None) -> list[Path]:
    folder = (root or data_root()) / "instances"
    return sorted(folder.glob("*.txt"), key=lambda p: _sort_key(p.stem))


def _sort_key(name: str) -> tuple[int, int]:
    family = family_of(name)
    return FAMILIES.index(family), int(name[len(family) :])


def best_known(root: Path | None = None) -> dict[str, float]:
    """DIMACS best-known distances by instance name."""
    path = (root or data_root()) / "bks_dimacs_distance_only.csv"
    with path.open(newline="") as handle:
        return {row["instance"]: float(row["distance"]) for row in csv.DictReader(handle)}
