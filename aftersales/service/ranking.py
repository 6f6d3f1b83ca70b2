"""Ranking technicians for a job (SPEC §3.4), pure: skill for the product category, region,
on duty now or at the appointment, current workload and travel distance — except for a
category served remotely first (远程服务, e.g. software), where the distance does not count:
the job is said to be remote and ranked by workload and region."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from aftersales.core.said import Said


@dataclass(frozen=True)
class CandidateFacts:
    user_id: int
    name: str
    skills: frozenset[str]
    region_id: int | None
    on_duty: bool
    open_jobs: int
    capacity: int
    lat: float | None = None
    lng: float | None = None


@dataclass(frozen=True)
class JobFacts:
    skill: str | None
    region_id: int | None
    neighbour_region_ids: frozenset[int] = frozenset()
    lat: float | None = None
    lng: float | None = None
    remote: bool = False  # the category is served remotely first: no trip to rank by


@dataclass(frozen=True)
class RankedCandidate:
    facts: CandidateFacts
    eligible: bool
    score: float
    distance_km: float | None
    reasons: tuple[str, ...] = field(default_factory=tuple)


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), kilometres."""
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def rank(job: JobFacts, candidates: list[CandidateFacts]) -> list[RankedCandidate]:
    """Eligible first (skill, on duty, not over capacity), then by a score that prefers the
    same region, fewer open jobs and shorter travel (not for a remote job). Lower score is
    better."""
    out = []
    for c in candidates:
        reasons = []
        eligible = True
        if job.skill and job.skill not in c.skills:
            eligible = False
            reasons.append("无该产品类别技能")
        if not c.on_duty:
            eligible = False
            reasons.append("不在值班时间")
        if c.open_jobs >= c.capacity:
            eligible = False
            reasons.append(Said("已满负荷（%(open_jobs)s单）", open_jobs=c.open_jobs))
        if job.region_id is not None and c.region_id == job.region_id:
            region_penalty = 0.0
            reasons.append("同片区")
        elif c.region_id is not None and c.region_id in job.neighbour_region_ids:
            region_penalty = 30.0
            reasons.append("邻近片区")
        else:
            region_penalty = 120.0
            reasons.append("外片区")
        dist = None
        if None not in (job.lat, job.lng, c.lat, c.lng):
            dist = distance_km(job.lat, job.lng, c.lat, c.lng)  # type: ignore[arg-type]
        if job.remote:
            travel = 0.0
            reasons.append("可远程服务，不计路程")
        else:
            if dist is not None:
                reasons.append(Said("距离约%(dist)s公里", dist=format(dist, ".0f")))
            travel = (dist if dist is not None else 50.0) * 1.3 / 40.0 * 60  # min at 40 km/h
        score = region_penalty + c.open_jobs * 45.0 + travel
        reasons.append(Said("在手工单%(open_jobs)s", open_jobs=c.open_jobs))
        out.append(RankedCandidate(c, eligible, round(score, 1), dist, tuple(reasons)))
    return sorted(out, key=lambda r: (not r.eligible, r.score, r.facts.user_id))
