"""The roles of SPEC §1 as Django groups with permissions.

Authority is data: the groups and their permissions are created here with the defaults and
can be changed by an administrator afterwards (``sync_roles`` only adds missing defaults,
it never takes a permission away that an administrator granted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, Permission


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    description: str


ROLES: tuple[Role, ...] = (
    Role("agent", "客服专员", "受理来电来函、登记报修与投诉、回访"),
    Role("coordinator", "售后主办", "审核补件、受理退货、派工、负责升级"),
    Role("team_leader", "售后组长", "成品借用、15天补件清账、入库检查"),
    Role("technician", "维修工程师", "接单、上门服务、填写服务报告、巡检"),
    Role("quality_director", "品质办主任", "批准补件与退货处理、质量反馈"),
    Role("quality_centre_director", "品管中心总监", "退货备选审批人、月度分析"),
    Role("warehouse", "仓管", "配件收发存、盘点、备用机"),
    Role("finance", "财务", "收费、冲账、经销商三包结算"),
    Role("dealer", "经销商", "登记销售三包卡、服务所属客户、提交三包索赔"),
    Role("customer", "客户", "提交并跟踪服务请求、确认报告、评价"),
    Role("manager", "主管领导", "接收升级、批准冲账、查看看板"),
    Role("sales", "销售", "接收客户保修即将到期的提醒，跟进保外服务与续保"),
    Role("admin", "管理员", "系统配置：政策、日历、规则、用户"),
)
ROLE_BY_CODE = {r.code: r for r in ROLES}
ROLE_BY_NAME = {r.name: r for r in ROLES}

MASTER = [
    "customers.customer",
    "customers.contact",
    "customers.site",
    "customers.sitedocument",
    "installed_base.equipment",
    "installed_base.equipmentcomponent",
]
REFERENCE = [
    "core.region",
    "accounts.department",
    "dealers.dealer",
    "installed_base.productcategory",
    "installed_base.productmodel",
    "installed_base.warrantypolicy",
    "customers.servicecontract",
    "catalog.part",
    "catalog.pricelist",
    "catalog.pricelistitem",
    "staff.staffprofile",
    "staff.dutyshift",
    "bizcalendar.workingpattern",
    "bizcalendar.calendarday",
    "bizcalendar.calendaryear",
]
ALL_DATA = MASTER + REFERENCE


def _perms(actions: str, models: list[str]) -> list[str]:
    out = []
    for label in models:
        app, model = label.split(".")
        out += [f"{app}.{a}_{model}" for a in actions.split(",")]
    return out


DEFAULT_PERMISSIONS: dict[str, list[str]] = {
    "agent": _perms("view", ALL_DATA) + _perms("add,change", MASTER),
    "coordinator": _perms("view", ALL_DATA)
    + _perms("add,change,delete", MASTER)
    + _perms("change", ["customers.servicecontract"]),
    "team_leader": _perms("view", ALL_DATA),
    "technician": _perms("view", ALL_DATA) + _perms("change", ["installed_base.equipment"]),
    "quality_director": _perms("view", ALL_DATA),
    "quality_centre_director": _perms("view", ALL_DATA),
    "warehouse": _perms("view", ALL_DATA)
    + _perms("add,change", ["catalog.part", "catalog.pricelistitem"]),
    "finance": _perms("view", ALL_DATA)
    + _perms("add,change", ["catalog.pricelist", "catalog.pricelistitem"]),
    "dealer": _perms("view", ALL_DATA)
    + _perms("add,change", ["customers.customer", "customers.contact", "customers.site"])
    + _perms("add,change", ["installed_base.equipment"]),
    "customer": _perms("view", MASTER),
    "manager": _perms("view", ALL_DATA),
    "sales": _perms("view", ALL_DATA),
    "admin": _perms("view,add,change,delete", ALL_DATA)
    + _perms("view,change", ["notifications.notification"])
    + _perms("view,add,change", ["notifications.channelconfig", "notifications.webhookrobot"])
    + _perms("view,add,change", ["accounts.user", "auth.group"]),
}


# The company's own roles (no dealer, no customer); OFFICE_ROLES are those without field work.
OFFICE_ROLES = (
    "agent",
    "coordinator",
    "team_leader",
    "quality_director",
    "quality_centre_director",
    "warehouse",
    "finance",
    "manager",
    "sales",
    "admin",
)
STAFF_ROLES = (*OFFICE_ROLES, "technician")


def app_perms(app: str, actions: str, models: list[str]) -> list[str]:
    """``app.action_model`` for every action (comma-separated) on every model of one app."""
    return [f"{app}.{a}_{m}" for m in models for a in actions.split(",")]


def extend_role_permissions(code: str, perms: list[str]) -> None:
    """Other apps add their default permissions to a role (called at import of their roles)."""
    DEFAULT_PERMISSIONS.setdefault(code, []).extend(perms)


def role_codes_of(user: Any) -> frozenset[str]:
    if not getattr(user, "pk", None):
        return frozenset()
    names = user.groups.values_list("name", flat=True)
    return frozenset(ROLE_BY_NAME[n].code for n in names if n in ROLE_BY_NAME)


def group_for(code: str) -> Group:
    group, _ = Group.objects.get_or_create(name=ROLE_BY_CODE[code].name)
    return group


def sync_roles(sender: Any = None, **kwargs: Any) -> None:
    """Create every role's group and add its missing default permissions (idempotent)."""
    from django.apps import apps

    last_app = [a for a in apps.get_app_configs() if a.models_module is not None][-1]
    if sender is not None and sender is not last_app:
        return  # run once, after every app's permissions exist
    wanted = {p for perms in DEFAULT_PERMISSIONS.values() for p in perms}
    by_key: dict[str, Permission] = {}
    for perm in Permission.objects.select_related("content_type"):
        key = f"{perm.content_type.app_label}.{perm.codename}"
        if key in wanted:
            by_key[key] = perm
    for role in ROLES:
        group = group_for(role.code)
        have = set(group.permissions.values_list("id", flat=True))
        missing = [
            by_key[p].id
            for p in DEFAULT_PERMISSIONS.get(role.code, [])
            if p in by_key and by_key[p].id not in have
        ]
        if missing:
            group.permissions.add(*missing)
