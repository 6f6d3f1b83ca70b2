"""Bulk reads for an import: one query per referenced table, one for the existing records,
one for which of them the actor may see — never one per row."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F

from aftersales.core.visibility import visibility_q, visible
from aftersales.imports.columns import REFS, Spec
from aftersales.imports.plan import Context, Target, ref_attr
from aftersales.imports.reader import Converted


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def load_refs(spec: Spec, actor: Any, rows: list[Converted]) -> dict[str, dict[str, Target]]:
    codes: dict[str, set[str]] = {}
    for col in spec.columns:
        if col.type == "ref":
            wanted = codes.setdefault(col.ref, set())
            wanted.update(v for r in rows if (v := r.values.get(col.field)))
    found: dict[str, dict[str, Target]] = {}
    for name, wanted in codes.items():
        found[name] = {}
        if not wanted:
            continue
        ref = REFS[name]
        qs = visible(ref.model, actor).filter(**{f"{ref.code_field}__in": wanted})
        if name == "user":
            qs = qs.filter(org_kind="company")
        fields = ["pk", ref.code_field]
        fields.append("archived_at" if _has_field(ref.model, "archived_at") else "is_active")
        if name == "customer":
            fields.append("region_id")
        for values in qs.values(*fields):
            inactive = (
                values["archived_at"] is not None
                if "archived_at" in values
                else not values["is_active"]
            )
            found[name][values[ref.code_field]] = Target(
                values["pk"], inactive, values.get("region_id")
            )
    return found


def load_existing(
    spec: Spec, rows: list[Converted], *, lock: bool = False
) -> dict[tuple[Any, ...], models.Model]:
    """Existing records for the rows' keys, whoever owns them (a code is unique for all)."""
    keys: set[tuple[Any, ...]] = set()
    for row in rows:
        key = tuple(row.values.get(name) for name in spec.key)
        if all(part not in (None, "") for part in key):
            keys.add(key)
    if not keys:
        return {}
    lookups = [spec.export_path(spec.column(name)) for name in spec.key]
    filters = {f"{lk}__in": {k[i] for k in keys} for i, lk in enumerate(lookups)}
    refs = {ref_attr(col): F(spec.export_path(col)) for col in spec.columns if col.type == "ref"}
    qs = spec.model._default_manager.filter(**filters).annotate(
        **{f"import_key_{i}": F(lk) for i, lk in enumerate(lookups)}, **refs
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    out: dict[tuple[Any, ...], models.Model] = {}
    for obj in qs:
        key = tuple(getattr(obj, f"import_key_{i}") for i in range(len(lookups)))
        if key in keys:
            out[key] = obj
    return out


def load_context(spec: Spec, actor: Any, rows: list[Converted], *, lock: bool = False) -> Context:
    existing = load_existing(spec, rows, lock=lock)
    q = visibility_q(spec.model, actor)
    pks = [obj.pk for obj in existing.values()]
    if q is None:
        updatable = frozenset(pks)
    else:
        updatable = frozenset(
            spec.model._default_manager.filter(q, pk__in=pks).values_list("pk", flat=True)
        )
    opts = spec.model._meta
    is_dealer = getattr(actor, "org_kind", "company") == "dealer"
    dealer = actor.dealer if is_dealer else None
    return Context(
        refs=load_refs(spec, actor, rows),
        existing=existing,
        updatable=updatable,
        can_change=actor.has_perm(f"{opts.app_label}.change_{opts.model_name}"),
        dealer_id=dealer.pk if dealer else None,
        dealer_code=dealer.code if dealer else "",
        outside=getattr(actor, "org_kind", "company") != "company",
    )
