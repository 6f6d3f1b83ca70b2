"""What each row will do — create, update, nothing, or fail — given the referenced records and
the existing ones fetched in bulk beforehand (``lookups.load_context``). No queries here: the
existing records are plain instances and the references plain dictionaries.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from aftersales.core.said import Said
from aftersales.imports.columns import Column, Spec
from aftersales.imports.reader import Converted, Issue


@dataclass(frozen=True)
class Target:
    """A referenced record found by its code."""

    pk: int
    inactive: bool = False
    region_id: int | None = None  # customers: default region of a new site


@dataclass
class Context:
    """Everything the plan needs from the database, fetched once per kind."""

    refs: dict[str, dict[str, Target]]  # ref name → code → target (only what the actor sees)
    existing: dict[tuple[Any, ...], models.Model]  # row key → existing record (any owner)
    updatable: frozenset[int]  # existing records the actor may see
    can_change: bool
    dealer_id: int | None = None  # the actor is a dealer user of this dealer
    dealer_code: str = ""
    outside: bool = False  # a dealer or customer user: the company-only fields are closed


@dataclass
class RowPlan:
    row: int
    action: str  # create / update / unchanged / error
    key: tuple[Any, ...]
    label: str
    values: dict[str, Any] = field(default_factory=dict)  # attname → value (for create)
    changes: dict[str, Any] = field(default_factory=dict)  # attname → new value (for update)
    instance: models.Model | None = None
    issues: list[Issue] = field(default_factory=list)


ACTION_LABELS = {"create": "新建", "update": "更新", "unchanged": "无变化", "error": "错误"}


def empty_value(spec: Spec, col: Column) -> Any:
    """What an empty cell means: the field's default, else null, else blank text."""
    f = spec.model._meta.get_field(col.field)
    assert isinstance(f, models.Field)
    if f.has_default():
        return f.get_default()
    return None if f.null else ""


def ref_attr(col: Column) -> str:
    """Where an existing record carries the current code of a reference (see ``lookups``)."""
    return f"import_ref_{col.field}"


def row_key(spec: Spec, values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(values.get(name) for name in spec.key)


def row_label(spec: Spec, key: tuple[Any, ...], values: dict[str, Any]) -> str:
    if len(key) > 1:
        return " #".join(str(k) for k in key)
    return str(values.get("name") or key[0])


def plan_rows(
    spec: Spec, rows: list[Converted], present: frozenset[str], ctx: Context
) -> list[RowPlan]:
    empties = {c.field: empty_value(spec, c) for c in spec.columns if c.type != "ref"}
    seen: dict[tuple[Any, ...], int] = {}
    plans = []
    for row in rows:
        key = row_key(spec, row.values)
        plan = RowPlan(
            row.row, "create", key, row_label(spec, key, row.values), issues=list(row.issues)
        )
        if all(k not in (None, "") for k in key):
            if key in seen:
                plan.issues.append(
                    Issue(
                        row.row,
                        "duplicate_key",
                        Said(
                            "%(duplicate_message)s（%(key_text)s 与第%(v4)s行相同）",
                            duplicate_message=spec.duplicate_message,
                            key_text=_key_text(spec, key),
                            v4=seen[key],
                        ),
                        spec.column(spec.key[-1]).header,
                    )
                )
            else:
                seen[key] = row.row
        existing = ctx.existing.get(key)
        values = _resolve(spec, row, present, ctx, plan, existing)
        for name, value in empties.items():
            if name in values and values[name] is None:
                values[name] = value
        if existing is None:
            _fill_create_defaults(spec, values, present, empties, ctx)
            plan.values = values
        else:
            _check_existing(spec, existing, key, ctx, plan)
            plan.instance = existing
            plan.changes = {k: v for k, v in values.items() if getattr(existing, k) != v}
            plan.action = "update" if plan.changes else "unchanged"
        if ctx.outside:
            _company_only(spec, plan, values if existing is None else plan.changes, empties)
        if not plan.issues:
            _model_rules(spec, existing, values, plan)
        if plan.issues:
            plan.action = "error"
        plans.append(plan)
    return plans


def _company_only(
    spec: Spec, plan: RowPlan, values: dict[str, Any], empties: dict[str, Any]
) -> None:
    """A dealer or customer may not set what the company alone records (``company_only_fields``,
    e.g. the date a warranty card reached the company) — on a new row nor by a change."""
    creating = plan.instance is None
    for name in getattr(spec.model, "company_only_fields", ()):
        if name not in values or (creating and values[name] == empties.get(name)):
            continue
        col = next((c for c in spec.columns if c.field == name), None)
        header = col.header if col else name
        plan.issues.append(
            Issue(
                plan.row,
                "company_only",
                Said("%(header)s只能由公司登记，经销商和客户不能设置或修改", header=header),
                header,
            )
        )


def _model_rules(
    spec: Spec, existing: models.Model | None, values: dict[str, Any], plan: RowPlan
) -> None:
    """The model's own cross-field rules (``Model.clean``, e.g. a warranty card not received
    before the sale) on the row as it would be saved: the same rule as the forms and API."""
    obj = copy.copy(existing) if existing is not None else spec.model()
    for name, value in values.items():
        setattr(obj, name, value)
    try:
        obj.clean()
    except ValidationError as exc:
        headers = {c.field: c.header for c in spec.columns}
        for name, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
            for message in messages:
                plan.issues.append(Issue(plan.row, "invalid", message, headers.get(name, "")))


def _key_text(spec: Spec, key: tuple[Any, ...]) -> str:
    return "，".join(
        f"{spec.column(name).header} {value}" for name, value in zip(spec.key, key, strict=True)
    )


def _resolve(
    spec: Spec,
    row: Converted,
    present: frozenset[str],
    ctx: Context,
    plan: RowPlan,
    existing: models.Model | None,
) -> dict[str, Any]:
    """Typed values by attname, references turned into primary keys. A reference an existing
    record already has is kept as it is, even one the actor could not choose (another
    dealer, an engineer a dealer cannot see), so that an export imports again unchanged."""
    creating = existing is None
    values: dict[str, Any] = {}
    customer_region: int | None = None
    for col in spec.columns:
        if col.field not in present:
            continue
        value = row.values.get(col.field)
        if col.type != "ref":
            values[col.attname] = value
            continue
        owner = ctx.refs.get("customer", {}).get(value) if col.ref == "customer" and value else None
        if owner is not None:
            customer_region = owner.region_id
        if existing is not None and value is not None and getattr(existing, ref_attr(col)) == value:
            continue
        if col.ref == "dealer" and ctx.dealer_id is not None:
            # a dealer user imports for itself: its own code or nothing
            if value not in (None, ctx.dealer_code):
                plan.issues.append(
                    Issue(
                        row.row,
                        "foreign_dealer",
                        Said(
                            "%(header)s %(value)s 无效：经销商用户只能填写本经销商编码 %(dealer_code)s",
                            header=col.header,
                            value=value,
                            dealer_code=ctx.dealer_code,
                        ),
                        col.header,
                    )
                )
            if creating:
                values[col.attname] = ctx.dealer_id
            continue
        if value is None:
            values[col.attname] = None
            continue
        target = ctx.refs.get(col.ref, {}).get(value)
        if target is None:
            plan.issues.append(
                Issue(
                    row.row,
                    f"unknown_{col.ref}",
                    Said("%(header)s %(value)s 不存在", header=col.header, value=value),
                    col.header,
                )
            )
        elif target.inactive:
            plan.issues.append(
                Issue(
                    row.row,
                    f"inactive_{col.ref}",
                    Said(
                        "%(header)s %(value)s 已归档或停用，不能使用",
                        header=col.header,
                        value=value,
                    ),
                    col.header,
                )
            )
        else:
            values[col.attname] = target.pk
    # a site's empty region is its customer's region
    if (
        spec.kind == "sites"
        and values.get("region_id") is None
        and ("region" in present or creating)
    ):
        if customer_region is not None:
            values["region_id"] = customer_region
        else:
            values.pop("region_id", None)  # the customer is in error, or kept as it is
    return values


def _fill_create_defaults(
    spec: Spec,
    values: dict[str, Any],
    present: frozenset[str],
    empties: dict[str, Any],
    ctx: Context,
) -> None:
    """Columns missing from the file take their defaults on a new record."""
    for col in spec.columns:
        if col.field in present or col.attname in values:
            continue
        if col.type == "ref":
            if col.ref == "dealer" and ctx.dealer_id is not None:
                values[col.attname] = ctx.dealer_id
        else:
            values[col.attname] = empties[col.field]


def _check_existing(
    spec: Spec, existing: models.Model, key: tuple[Any, ...], ctx: Context, plan: RowPlan
) -> None:
    if existing.pk not in ctx.updatable:
        # Another organisation's record: neither its state (archived or not) nor its
        # existence beyond "this code cannot be used" is told.
        plan.issues.append(
            Issue(
                plan.row,
                "key_unavailable",
                Said(
                    "%(key_text)s 不可使用（编号已被占用或无权使用），请换一个编号",
                    key_text=_key_text(spec, key),
                ),
            )
        )
    elif getattr(existing, "archived_at", None) is not None:
        plan.issues.append(
            Issue(
                plan.row,
                "archived",
                Said(
                    "%(key_text)s 对应的%(label)s已归档，不能通过导入修改",
                    key_text=_key_text(spec, key),
                    label=spec.label,
                ),
            )
        )
    elif not ctx.can_change:
        plan.issues.append(
            Issue(
                plan.row,
                "exists_forbidden",
                Said(
                    "%(duplicate_message)s：%(key_text)s 已存在，无权修改",
                    duplicate_message=spec.duplicate_message,
                    key_text=_key_text(spec, key),
                ),
            )
        )
