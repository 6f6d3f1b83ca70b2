"""The workbench panels, one registry: each panel names the roles it serves and builds its
figures (a count and the list link that shows exactly those rows) and, for some, a few rows.

A person sees the panels of every role he holds (dealers and customers: their organisation's
panel). Another app adds a panel by appending a ``Panel`` to ``PANELS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.workbench import selectors as s


@dataclass
class Figure:
    code: str
    label: Any
    value: int
    url: str
    tone: str = ""  # "warn" / "bad" when non-zero


@dataclass
class Row:
    text: str
    url: str
    hint: Any = ""
    css: str = ""


@dataclass
class Content:
    figures: list[Figure]
    rows: list[Row] = field(default_factory=list)
    rows_title: Any = ""
    links: list[tuple[Any, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Panel:
    code: str
    title: Any
    roles: frozenset[str]
    build: Callable[[Any, dt.datetime], Content]


def _url(name: str, query: str = "") -> str:
    return reverse(name) + (f"?{query}" if query else "")


def _tone(value: int, tone: str) -> str:
    return tone if value else ""


def _left(due: dt.datetime | None, now: dt.datetime) -> str:
    from aftersales.service.views.common import minutes_text

    if due is None:
        return ""
    minutes = int((due - now).total_seconds() // 60)
    return (
        str(_("剩余 %(t)s") % {"t": minutes_text(minutes)})
        if minutes >= 0
        else str(_("已超时 %(t)s") % {"t": minutes_text(minutes)})
    )


# --- the panels -------------------------------------------------------------------------


def agent(user: Any, now: dt.datetime) -> Content:
    today = timezone.localdate(now)
    mine = s.ticket_count(user, now, mine=True)
    due = s.callback_count(user, today, by_today=True)
    replies = s.complaints_awaiting_reply(user, now)
    again = s.callback_count(user, today, retry=True)
    return Content(
        [
            Figure("my_open", _("我负责的未关闭报修"), mine, _url("service:ticket_list", "mine=1")),
            Figure(
                "callbacks_today",
                _("今日应回访"),
                due,
                _url("service:callback_list", "due=today"),
                _tone(due, "warn"),
            ),
            Figure(
                "complaints_unreplied",
                _("待答复投诉"),
                replies,
                _url("quality:list", "awaiting_reply=1"),
                _tone(replies, "warn"),
            ),
            Figure(
                "call_back", _("需再次联系的客户"), again, _url("service:callback_list", "retry=1")
            ),
        ]
    )


def coordinator(user: Any, now: dt.datetime) -> Content:
    today = timezone.localdate(now)
    unassigned = s.ticket_count(user, now, unassigned=True)
    risk = s.ticket_count(user, now, at_risk=True)
    plans = s.plans_today(user, today)
    approvals = s.approvals_waiting(user)
    tasks = s.dealer_tasks(user, "assigned").count()
    rows = [
        Row(
            f"{t.number} · {t.customer}",
            reverse("service:ticket_detail", args=[t.pk]),
            _left(getattr(t, "next_due_at", None), now),
            "sla-warn",
        )
        for t in s.soonest_breach(user, now)
    ]
    return Content(
        [
            Figure(
                "unassigned",
                _("待派工"),
                unassigned,
                _url("service:ticket_list", "unassigned=1"),
                _tone(unassigned, "warn"),
            ),
            Figure(
                "at_risk",
                _("即将超时"),
                risk,
                _url("service:ticket_list", "at_risk=1"),
                _tone(risk, "bad"),
            ),
            Figure("approvals", _("待我审批"), approvals, _url("approvals:inbox")),
            Figure(
                "dealer_unarranged",
                _("服务任务未安排"),
                tasks,
                _url("dealers:tasks", "state=assigned"),
                _tone(tasks, "warn"),
            ),
            Figure("plans_draft", _("今日派工计划（草稿）"), plans["draft"], _url("dispatch:plan")),
            Figure(
                "plans_published",
                _("今日派工计划（已发布）"),
                plans["published"],
                _url("dispatch:plan"),
            ),
        ],
        rows,
        _("最先超时的报修单"),
    )


def technician(user: Any, now: dt.datetime) -> Content:
    today = timezone.localdate(now)
    jobs = s.jobs_today(user, today)
    rows = []
    for wo in jobs[: s.PANEL_ROWS * 2]:
        when = timezone.localtime(wo.window_start).strftime("%H:%M") if wo.window_start else ""
        rows.append(
            Row(
                f"{wo.ticket.customer} · {wo.number}",
                reverse("service:job_detail", args=[wo.pk]),
                " ".join(x for x in (when, str(wo.get_state_display())) if x),
            )
        )
    unfiled = s.unfiled_reports(user)
    return Content(
        [
            Figure("jobs_today", _("今日工单"), jobs.count(), _url("service:my_jobs")),
            Figure(
                "reports_unfiled",
                _("报告未提交"),
                unfiled,
                _url("service:my_jobs", "unfiled=1"),
                _tone(unfiled, "bad"),
            ),
            Figure(
                "inspections", _("未完成巡检"), s.inspections_open(user), _url("maintenance:visits")
            ),
        ],
        rows,
        _("今日工单（按计划顺序）"),
    )


def quality(user: Any, now: dt.datetime) -> Content:
    return Content(
        [
            Figure("approvals", _("待我审批"), s.approvals_waiting(user), _url("approvals:inbox")),
            Figure(
                "returns_received",
                _("退货待检验"),
                s.returns_in_state(user, "received"),
                _url("returns:list", "state=received"),
            ),
            Figure(
                "warnings_open",
                _("质量预警待排查"),
                s.warnings_in_state(user, "open"),
                _url("quality:warnings", "state=open"),
                "bad",
            ),
            Figure(
                "warnings_checking",
                _("质量预警排查中"),
                s.warnings_in_state(user, "checking"),
                _url("quality:warnings", "state=checking"),
            ),
        ]
    )


def warehouse(user: Any, now: dt.datetime) -> Content:
    return Content(
        [
            Figure(
                "parts_from_stock",
                _("成品仓发货中（待入库检查）"),
                s.parts_requests_in_state(user, "stock_shipment"),
                _url("parts:list", "state=stock_shipment"),
            ),
            Figure(
                "parts_in_production",
                _("生产中（待入库检查）"),
                s.parts_requests_in_state(user, "in_production"),
                _url("parts:list", "state=in_production"),
            ),
            Figure(
                "loading_to_ship",
                _("装车单待发货"),
                s.loading_lists_in_state(user, "finance_reviewed"),
                _url("parts:loading_lists", "state=finance_reviewed"),
            ),
            Figure(
                "shortages",
                _("缺货待补"),
                s.shortages_open(user),
                _url("stock:shortages"),
                "warn",
            ),
            Figure(
                "below_minimum", _("低于最低库存"), s.below_minimum(user), _url("stock:minimums")
            ),
        ]
    )


def finance(user: Any, now: dt.datetime) -> Content:
    return Content(
        [
            Figure(
                "credit_to_book",
                _("冲账待入账"),
                s.returns_in_state(user, "all", credit_state="approved"),
                _url("returns:list", "state=all&credit_state=approved"),
                "warn",
            ),
            Figure(
                "claims_accepted",
                _("索赔鉴定同意待核销"),
                s.claims_in_state(user, "accepted"),
                _url("dealers:claims", "state=accepted"),
            ),
            Figure(
                "claims_partly",
                _("索赔部分同意待核销"),
                s.claims_in_state(user, "partly"),
                _url("dealers:claims", "state=partly"),
            ),
            Figure("approvals", _("待我审批"), s.approvals_waiting(user), _url("approvals:inbox")),
        ]
    )


def manager(user: Any, now: dt.datetime) -> Content:
    return Content(
        [
            Figure("open", _("未关闭报修"), s.ticket_count(user, now), _url("service:ticket_list")),
            Figure(
                "at_risk",
                _("即将超时"),
                s.ticket_count(user, now, at_risk=True),
                _url("service:ticket_list", "at_risk=1"),
                "warn",
            ),
            Figure(
                "breached_today",
                _("今日超时"),
                s.ticket_count(user, now, breached_today=True),
                _url("service:ticket_list", "breached_today=1"),
                "bad",
            ),
            Figure("approvals", _("待我审批"), s.approvals_waiting(user), _url("approvals:inbox")),
        ],
        links=[(_("看板与报表"), "/reports/")],
    )


def sales(user: Any, now: dt.datetime) -> Content:
    today = timezone.localdate(now)
    return Content(
        [
            Figure(
                "warranty_expiring",
                _("保修即将到期的设备"),
                s.warranty_expiring(user, today),
                _url("web:equipment_list", "warranty=expiring"),
                "warn",
            )
        ]
    )


def dealer(user: Any, now: dt.datetime) -> Content:
    rows = [
        Row(
            f"{t.number} · {t.ticket.number}",
            _url("dealers:tasks"),
            _("安排时限 %(due)s")
            % {"due": timezone.localtime(t.arrange_due_at).strftime("%m-%d %H:%M")}
            if t.arrange_due_at
            else t.get_state_display(),
            "sla-bad" if t.arrange_overdue else "",
        )
        for t in s.dealer_task_rows(user)
    ]
    return Content(
        [
            Figure(
                "tasks_open",
                _("未完成的服务任务"),
                s.dealer_tasks(user, "open").count(),
                _url("dealers:tasks"),
            ),
            Figure(
                "tasks_unarranged",
                _("待安排的服务任务"),
                s.dealer_tasks(user, "assigned").count(),
                _url("dealers:tasks", "state=assigned"),
                "warn",
            ),
            Figure(
                "tickets_open",
                _("所属客户未关闭报修"),
                s.ticket_count(user, now),
                _url("service:ticket_list"),
            ),
        ],
        rows,
        _("服务任务及时限"),
    )


def customer(user: Any, now: dt.datetime) -> Content:
    return Content(
        [
            Figure(
                "requests_open",
                _("未关闭的报修"),
                s.ticket_count(user, now),
                _url("service:portal", "state=open"),
            ),
            Figure(
                "confirmations",
                _("待我确认"),
                s.ticket_count(user, now, awaiting_customer=True),
                _url("service:portal", "state=open&waiting=1"),
                "warn",
            ),
        ],
        links=[(_("提交报修"), _url("service:portal_new"))],
    )


PANELS: list[Panel] = [
    Panel("agent", _("客服"), frozenset({"agent"}), agent),
    Panel("coordinator", _("派工与跟进"), frozenset({"coordinator", "team_leader"}), coordinator),
    Panel("technician", _("我的工作"), frozenset({"technician"}), technician),
    Panel(
        "quality",
        _("品质"),
        frozenset({"quality_director", "quality_centre_director"}),
        quality,
    ),
    Panel("warehouse", _("仓库"), frozenset({"warehouse"}), warehouse),
    Panel("finance", _("财务"), frozenset({"finance"}), finance),
    Panel("manager", _("管理概览"), frozenset({"manager", "admin"}), manager),
    Panel("sales", _("销售"), frozenset({"sales"}), sales),
    Panel("dealer", _("经销商"), frozenset({"dealer"}), dealer),
    Panel("customer", _("客户"), frozenset({"customer"}), customer),
]
PANEL_BY_CODE = {p.code: p for p in PANELS}
ORG_PANELS = {"dealer": "dealer", "customer": "customer"}


def panels_for(user: Any) -> list[Panel]:
    """The panels of every role the user holds; a dealer's or a customer's user gets his
    organisation's panel only (whatever groups he is in)."""
    kind = getattr(user, "org_kind", "company") or "company"
    if kind in ORG_PANELS:
        return [PANEL_BY_CODE[ORG_PANELS[kind]]]
    roles = set(user.role_codes)
    if user.is_superuser:
        roles.add("admin")
    return [p for p in PANELS if p.roles & roles and p.code not in ORG_PANELS.values()]
