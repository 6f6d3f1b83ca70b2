"""The columns of each import/export kind: Chinese header, model field, cell type.

The same list drives the export, the empty template and the import, so an exported file can
be edited and imported again. Foreign keys are written and read by their business code
(客户编号, 片区编码, 型号…), never by database id.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from django.db import models

from aftersales.accounts.models import User
from aftersales.core.models import Region
from aftersales.customers.models import Customer, Site
from aftersales.dealers.models import Dealer
from aftersales.imports.models import ImportKind
from aftersales.installed_base.models import Equipment, ProductModel

CellType = Literal["text", "date", "decimal", "int", "bool", "choice", "ref"]


@dataclass(frozen=True)
class Ref:
    """A referenced table, looked up by its code: ``name`` is how columns point at it."""

    name: str
    model: type[models.Model]
    code_field: str
    label: str  # for messages: "客户编号 C0099 不存在"


REFS: dict[str, Ref] = {
    "region": Ref("region", Region, "code", "片区编码"),
    "dealer": Ref("dealer", Dealer, "code", "经销商编码"),
    "customer": Ref("customer", Customer, "code", "客户编号"),
    "site": Ref("site", Site, "code", "项目编号"),
    "model": Ref("model", ProductModel, "code", "型号"),
    "user": Ref("user", User, "username", "账号"),
}


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # model field name
    type: CellType = "text"
    required: bool = False
    ref: str = ""  # key of REFS for type "ref"
    places: int = 2  # decimals
    minimum: Any = None
    maximum: Any = None
    note: str = ""

    @property
    def attname(self) -> str:
        return f"{self.field}_id" if self.type == "ref" else self.field


@dataclass(frozen=True)
class Spec:
    kind: str
    label: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # field names identifying a row: existing → update, new → create
    duplicate_message: str  # "序列号重复"
    order_by: tuple[str, ...] = ()

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def export_path(self, col: Column) -> str:
        """The ``values_list`` lookup that reads the column's value for the export."""
        if col.type == "ref":
            return f"{col.field}__{REFS[col.ref].code_field}"
        return col.field


@cache
def choices_of(model: type[models.Model], name: str) -> dict[str, str]:
    """value → Chinese label of a choice field."""
    f = model._meta.get_field(name)
    return {str(v): str(label) for v, label in f.choices or []}  # type: ignore[union-attr]


def _choice_note(model: type[models.Model], name: str) -> str:
    return "可选：" + "、".join(choices_of(model, name).values())


CUSTOMERS = Spec(
    kind=ImportKind.CUSTOMERS,
    label="客户",
    model=Customer,
    key=("code",),
    duplicate_message="客户编号重复",
    order_by=("code",),
    columns=(
        Column("客户编号", "code", required=True, note="唯一；已存在则更新，不存在则新建"),
        Column("名称", "name", required=True),
        Column("类型", "kind", "choice", note=_choice_note(Customer, "kind") + "；留空为单位"),
        Column("等级", "tier", "choice", note=_choice_note(Customer, "tier") + "；留空为普通客户"),
        Column("片区编码", "region", "ref", required=True, ref="region"),
        Column(
            "经销商编码", "dealer", "ref", ref="dealer", note="留空为直销；经销商用户只能填本经销商"
        ),
        Column("电话", "phone"),
        Column("地址", "address"),
        Column("备注", "notes"),
    ),
)

SITES = Spec(
    kind=ImportKind.SITES,
    label="项目/现场",
    model=Site,
    key=("code",),
    duplicate_message="项目编号重复",
    order_by=("code",),
    columns=(
        Column("项目编号", "code", required=True, note="唯一；已存在则更新，不存在则新建"),
        Column("名称", "name", required=True),
        Column("客户编号", "customer", "ref", required=True, ref="customer", note="客户须已存在"),
        Column("地址", "address", required=True),
        Column("片区编码", "region", "ref", ref="region", note="留空取客户所在片区"),
        Column("纬度", "lat", "decimal", places=6, minimum=-90, maximum=90),
        Column("经度", "lng", "decimal", places=6, minimum=-180, maximum=180),
        Column("工程项目", "is_project", "bool", note="是/否；留空为是"),
        Column("竣工日期", "completion_date", "date", note="YYYY-MM-DD"),
        Column("验收日期", "acceptance_date", "date", note="YYYY-MM-DD"),
        Column("责任工程师账号", "responsible_engineer", "ref", ref="user", note="系统登录账号"),
        Column("备注", "notes"),
    ),
)

EQUIPMENT = Spec(
    kind=ImportKind.EQUIPMENT,
    label="设备",
    model=Equipment,
    key=("model", "serial_no"),
    duplicate_message="序列号重复",
    order_by=("model__code", "serial_no"),
    columns=(
        Column("型号", "model", "ref", required=True, ref="model", note="产品型号编码，须已存在"),
        Column("出厂编号", "serial_no", required=True, note="同一型号下唯一；已存在则更新"),
        Column("数量", "quantity", "int", minimum=1, note="正整数；留空为1"),
        Column("项目编号", "site", "ref", required=True, ref="site", note="项目须已存在"),
        Column("软件版本", "software_version"),
        Column("协议/连接方式", "connection"),
        Column("销售日期", "sale_date", "date", note="YYYY-MM-DD"),
        Column("安装日期", "installation_date", "date", note="YYYY-MM-DD"),
        Column("验收日期", "acceptance_date", "date", note="YYYY-MM-DD"),
        Column(
            "经销商编码", "dealer", "ref", ref="dealer", note="销售经销商；经销商用户只能填本经销商"
        ),
        Column(
            "三包卡状态",
            "card_status",
            "choice",
            note=_choice_note(Equipment, "card_status") + "；留空为无三包卡",
        ),
        Column("三包卡号", "card_no"),
        Column("三包卡回寄日期", "card_received_date", "date", note="YYYY-MM-DD"),
        Column("备注", "notes"),
    ),
)

SPECS: dict[str, Spec] = {s.kind: s for s in (CUSTOMERS, SITES, EQUIPMENT)}
