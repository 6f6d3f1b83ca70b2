"""Navigation by role, available to every template as ``nav``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, roles that see it; empty = everyone signed in)
NAV: list[tuple[str, Any, frozenset[str]]] = [
    ("web:home", _("工作台"), frozenset()),
    ("web:customer_list", _("客户"), frozenset()),
    ("web:site_list", _("项目/现场"), frozenset()),
    ("web:equipment_list", _("设备"), frozenset()),
    (
        "service:ticket_list",
        _("报修"),
        frozenset({"agent", "coordinator", "team_leader", "manager", "admin", "dealer"}),
    ),
    (
        "service:dispatch_board",
        _("派工"),
        frozenset({"coordinator", "team_leader", "manager", "admin"}),
    ),
    (
        "dispatch:plan",
        _("智能派工"),
        frozenset({"coordinator", "team_leader", "manager", "admin"}),
    ),
    ("service:my_jobs", _("我的工单"), frozenset({"technician"})),
    ("service:portal", _("我的报修"), frozenset({"customer"})),
    ("notifications:list", _("通知"), frozenset()),
    (
        "parts:list",
        _("补件"),
        frozenset(
            {"agent", "coordinator", "team_leader", "quality_director", "quality_centre_director"}
            | {"warehouse", "finance", "manager", "admin", "dealer", "customer"}
        ),
    ),
    (
        "returns:list",
        _("退货"),
        frozenset(
            {"agent", "coordinator", "team_leader", "quality_director", "quality_centre_director"}
            | {"warehouse", "finance", "manager", "admin", "dealer", "customer"}
        ),
    ),
    (
        "dealers:cards",
        _("三包回执卡"),
        frozenset({"agent", "coordinator", "finance", "manager", "admin", "dealer"}),
    ),
    (
        "dealers:tasks",
        _("服务任务"),
        frozenset({"agent", "coordinator", "team_leader", "manager", "admin", "dealer"}),
    ),
    (
        "dealers:claims",
        _("三包索赔"),
        frozenset({"coordinator", "quality_director", "quality_centre_director", "finance"})
        | frozenset({"manager", "admin", "dealer"}),
    ),
    (
        "dealers:notices",
        _("三包核销"),
        frozenset({"finance", "manager", "admin", "dealer"}),
    ),
    (
        "dealers:stocking",
        _("备货计划"),
        frozenset({"sales", "coordinator", "manager", "admin", "dealer"}),
    ),
    (
        "dealers:ratings",
        _("经销商评级"),
        frozenset({"sales", "manager", "admin", "dealer"}),
    ),
    (
        "charges:receipts",
        _("收据"),
        frozenset({"agent", "coordinator", "finance", "manager", "admin"}),
    ),
    (
        "charges:expenses",
        _("差旅报销"),
        frozenset({"technician", "team_leader", "finance", "manager", "admin"}),
    ),
    (
        "stock:list",
        _("库存"),
        frozenset(
            {"coordinator", "team_leader", "warehouse", "finance", "manager", "admin"}
            | {"technician"}
        ),
    ),
    (
        "quality:list",
        _("投诉"),
        frozenset(
            {"agent", "coordinator", "quality_director", "quality_centre_director", "manager"}
            | {"admin", "dealer", "customer"}
        ),
    ),
    (
        "quality:capas",
        _("纠正预防"),
        frozenset(
            {"agent", "coordinator", "quality_director", "quality_centre_director", "manager"}
            | {"admin"}
        ),
    ),
    (
        "quality:warnings",
        _("质量预警"),
        frozenset(
            {"agent", "coordinator", "quality_director", "quality_centre_director", "manager"}
            | {"admin"}
        ),
    ),
    (
        "quality:old_parts",
        _("旧件"),
        frozenset(
            {"coordinator", "team_leader", "warehouse", "quality_director"}
            | {"quality_centre_director", "manager", "admin", "technician", "dealer"}
        ),
    ),
    (
        "approvals:inbox",
        _("待审批"),
        frozenset(
            {"agent", "coordinator", "team_leader", "quality_director", "quality_centre_director"}
            | {"warehouse", "finance", "manager", "admin"}
        ),
    ),
    (
        "maintenance:plans",
        _("巡检计划"),
        frozenset({"agent", "coordinator", "team_leader", "manager", "admin"}),
    ),
    ("maintenance:visits", _("我的巡检"), frozenset({"technician"})),
    ("maintenance:portal", _("巡检与报告"), frozenset({"customer", "dealer"})),
    (
        "reports:board",
        _("KPI看板与报表"),
        frozenset({"manager", "quality_centre_director", "admin"}),
    ),
    (
        "surveys:list",
        _("满意度调查"),
        frozenset({"agent", "coordinator", "quality_director", "manager", "admin"}),
    ),
    ("imports:list", _("导入导出"), frozenset({"agent", "coordinator", "admin", "dealer"})),
]


# pages a company department's members see whatever their role (the tasks given to it)
DEPARTMENT_NAV = frozenset({"dealers:tasks"})


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    roles = user.role_codes
    items = []
    in_department = user.org_kind == "company" and bool(getattr(user, "department_id", None))
    for name, label, allowed in NAV:
        if allowed and not (
            user.is_superuser or roles & allowed or (in_department and name in DEPARTMENT_NAV)
        ):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "url": url,
                "label": label,
                "active": (request.path.startswith(url) and url != "/") or request.path == url,
            }
        )
    if user.is_staff:
        items.append({"url": reverse("admin:index"), "label": _("后台配置"), "active": False})
    return {"nav": items, "calendar_warning": _calendar_warning(user)}


def _calendar_warning(user: Any) -> str:
    """For those who keep the calendar: the years whose official schedule is unconfirmed."""
    if not user.has_perm("bizcalendar.change_calendaryear"):
        return ""
    from aftersales.bizcalendar.selectors import confirmation_warning, years_to_confirm

    years = years_to_confirm()
    return confirmation_warning(years) if years else ""
