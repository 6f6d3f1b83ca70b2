"""The ticket state machine as data (pure): which action moves which states where, and who
may do it. Services consult it; the UI only shows what it allows."""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.service.models.ticket import TicketState as S

STAFF = frozenset({"agent", "coordinator", "team_leader", "manager", "admin"})
DISPATCHERS = frozenset({"coordinator", "team_leader", "manager", "admin", "agent"})
# who sends a unit to the factory and records its trip (SPEC §3.3, 返厂维修)
FACTORY_ROLES = frozenset({"coordinator", "team_leader", "manager", "admin"})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]  # company roles allowed; "owner" / "technician" are checked by services


def _t(action: str, label: str, sources: set[str], target: str, roles: set[str]) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(roles))


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("acknowledge", "受理", {S.REGISTERED}, S.ACKNOWLEDGED, set(STAFF) | {"dealer"}),
        _t(
            "dispatch",
            "派工",
            {S.REGISTERED, S.ACKNOWLEDGED, S.REOPENED, S.IN_PROGRESS, S.DISPATCHED, S.SCHEDULED},
            S.DISPATCHED,
            set(DISPATCHERS) | {"dealer"},
        ),
        _t(
            "schedule",
            "预约",
            {S.DISPATCHED, S.SCHEDULED},
            S.SCHEDULED,
            set(DISPATCHERS) | {"technician", "dealer"},
        ),
        _t("check_in", "到场签到", {S.DISPATCHED, S.SCHEDULED}, S.ON_SITE, {"technician"}),
        _t(
            "start_work",
            "开始处理",
            {S.ON_SITE, S.WAITING_CUSTOMER, S.WAITING_PARTS},
            S.IN_PROGRESS,
            {"technician", *STAFF},
        ),
        _t(
            "wait_customer",
            "等待客户",
            {S.ACKNOWLEDGED, S.DISPATCHED, S.SCHEDULED, S.ON_SITE, S.IN_PROGRESS, S.REOPENED},
            S.WAITING_CUSTOMER,
            {"technician", *STAFF},
        ),
        _t(
            "wait_parts",
            "等待配件",
            {S.ON_SITE, S.IN_PROGRESS},
            S.WAITING_PARTS,
            {"technician", *STAFF},
        ),
        _t(
            "resume",
            "恢复处理",
            {S.WAITING_CUSTOMER, S.WAITING_PARTS},
            S.IN_PROGRESS,
            {"technician", *STAFF},
        ),
        _t("resolve", "完工", {S.ON_SITE, S.IN_PROGRESS}, S.RESOLVED, {"technician", *STAFF}),
        _t(
            "resolve_remotely",
            "远程解决",
            {S.REGISTERED, S.ACKNOWLEDGED, S.REOPENED},
            S.RESOLVED,
            set(STAFF),
        ),
        _t(
            "send_to_factory",
            "返厂维修",
            {S.ACKNOWLEDGED, S.ON_SITE, S.IN_PROGRESS, S.REOPENED},
            S.AT_FACTORY,
            set(FACTORY_ROLES),
        ),
        _t("factory_returned", "返厂件已收回", {S.AT_FACTORY}, S.IN_PROGRESS, set(FACTORY_ROLES)),
        _t("close", "回访后关闭", {S.RESOLVED}, S.CLOSED, set(STAFF)),
        _t("reopen", "重开", {S.RESOLVED, S.CLOSED}, S.REOPENED, set(STAFF) | {"customer"}),
        _t(
            "cancel",
            "取消",
            {
                S.REGISTERED,
                S.ACKNOWLEDGED,
                S.DISPATCHED,
                S.SCHEDULED,
                S.WAITING_CUSTOMER,
                S.REOPENED,
            },
            S.CANCELLED,
            set(STAFF) | {"customer", "dealer"},
        ),
    ]
}


def allowed_actions(state: str, roles: frozenset[str]) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources and (roles & t.roles)]
