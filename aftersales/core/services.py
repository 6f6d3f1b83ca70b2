"""Generic write services for master and reference data: create, update, archive, restore.

Each one is atomic, checks the actor's permission and row-level visibility (also of every
record the new values point at), validates the model, and writes the audit row in the same
transaction. Domain documents with a state machine have their own services in their apps.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    from_django_validation,
)
from aftersales.core.said import Said
from aftersales.core.visibility import visibility_q

M = TypeVar("M", bound=models.Model)


def require_perm(actor: Any, model: type[models.Model], action: str) -> None:
    opts = model._meta
    if (
        not actor
        or not actor.is_authenticated
        or not actor.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
    ):
        raise PermissionDenied(
            Said(
                "无权%(get)s%(verbose_name)s",
                get=_ACTION_ZH.get(action, action),
                verbose_name=opts.verbose_name,
            )
        )


_ACTION_ZH = {"add": "新建", "change": "修改", "delete": "归档", "view": "查看"}


def _check_references(model: type[models.Model], actor: Any, data: dict[str, Any]) -> None:
    """Every related record named in ``data`` must be one the actor may see."""
    for field in model._meta.concrete_fields:
        if not field.is_relation or (field.name not in data and field.attname not in data):
            continue
        value = data.get(field.name, data.get(field.attname))
        if value is None:
            continue
        related = field.related_model
        assert related is not None and not isinstance(related, str)
        pk = value.pk if isinstance(value, models.Model) else value
        q = visibility_q(related, actor)
        if q is not None and not related._default_manager.filter(q, pk=pk).exists():
            raise NotFound(
                Said("%(verbose_name)s不存在或无权使用", verbose_name=related._meta.verbose_name),
                field=field.name,
            )


def _apply_org_defaults(model: type[models.Model], actor: Any, data: dict[str, Any]) -> None:
    """A dealer creates records for itself; a customer user for its own customer."""
    names = {f.name for f in model._meta.concrete_fields}
    if getattr(actor, "org_kind", "company") == "dealer" and "dealer" in names:
        data["dealer_id"] = actor.dealer_id
        data.pop("dealer", None)


def _refuse_company_only(
    model: type[models.Model], actor: Any, data: dict[str, Any], current: models.Model | None
) -> None:
    """A dealer or customer user may not set the fields the company alone records (a model's
    ``company_only_fields``, e.g. the date a warranty card reached the company): a new record
    keeps their defaults, a change leaves them as they are."""
    if getattr(actor, "org_kind", "company") == "company":
        return
    for name in getattr(model, "company_only_fields", ()):
        field = model._meta.get_field(name)
        if name not in data and getattr(field, "attname", name) not in data:
            continue
        value = data.get(name, data.get(getattr(field, "attname", name)))
        before = (
            getattr(current, name)
            if current is not None
            else (field.get_default() if isinstance(field, models.Field) else None)
        )
        if value != before:
            raise PermissionDenied(
                Said(
                    "%(verbose_name)s只能由公司登记，经销商和客户不能设置或修改",
                    verbose_name=field.verbose_name,  # type: ignore[union-attr]
                ),
                field=name,
            )


def _save(obj: models.Model) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise from_django_validation(exc) from exc
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict(
            Said("%(verbose_name)s与已有记录冲突（重复）", verbose_name=obj._meta.verbose_name)
        ) from exc


@transaction.atomic
def create_record(model: type[M], *, actor: Any, data: dict[str, Any], check: bool = True) -> M:
    data = dict(data)
    m2m = {k: data.pop(k) for k in list(data) if _is_m2m(model, k)}
    if check:
        require_perm(actor, model, "add")
        _refuse_company_only(model, actor, data, None)
        _apply_org_defaults(model, actor, data)
        _check_references(model, actor, data)
    obj = model(**data)
    _save(obj)
    _set_m2m(obj, m2m)
    audit.record(obj, actor=actor, action="create", after=audit.snapshot(obj))
    return obj


@transaction.atomic
def update_record(obj: M, *, actor: Any, changes: dict[str, Any], check: bool = True) -> M:
    model = type(obj)
    changes = dict(changes)
    m2m = {k: changes.pop(k) for k in list(changes) if _is_m2m(model, k)}
    if check:
        require_perm(actor, model, "change")
        _require_visible(obj, actor)
        if getattr(actor, "org_kind", "company") == "dealer":
            changes.pop("dealer", None)
            changes.pop("dealer_id", None)
        _refuse_company_only(model, actor, changes, obj)
        _check_references(model, actor, changes)
    obj = model._default_manager.select_for_update().get(pk=obj.pk)
    if getattr(obj, "archived_at", None) is not None:
        raise Conflict(
            Said("%(verbose_name)s已归档，不能修改", verbose_name=model._meta.verbose_name)
        )
    before = audit.snapshot(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    _save(obj)
    _set_m2m(obj, m2m)
    old, new = audit.diff(before, audit.snapshot(obj))
    if old or new or m2m:
        audit.record(obj, actor=actor, action="update", before=old, after=new)
    return obj


@transaction.atomic
def archive_record(obj: M, *, actor: Any, reason: str = "", check: bool = True) -> M:
    model = type(obj)
    if check:
        require_perm(actor, model, "delete")
        _require_visible(obj, actor)
    obj = model._default_manager.select_for_update().get(pk=obj.pk)
    if getattr(obj, "archived_at", None) is not None:
        return obj
    now = timezone.now()
    model._default_manager.filter(pk=obj.pk).update(archived_at=now)
    obj.archived_at = now  # type: ignore[attr-defined]
    audit.record(
        obj,
        actor=actor,
        action="archive",
        before={"archived_at": None},
        after={"archived_at": now},
        reason=reason,
    )
    return obj


@transaction.atomic
def restore_record(obj: M, *, actor: Any, reason: str = "") -> M:
    model = type(obj)
    require_perm(actor, model, "delete")
    _require_visible(obj, actor)
    before = getattr(obj, "archived_at", None)
    model._default_manager.filter(pk=obj.pk).update(archived_at=None)
    obj.archived_at = None  # type: ignore[attr-defined]
    audit.record(
        obj,
        actor=actor,
        action="restore",
        before={"archived_at": before},
        after={"archived_at": None},
        reason=reason,
    )
    return obj


def _require_visible(obj: models.Model, actor: Any) -> None:
    q = visibility_q(type(obj), actor)
    if q is not None and not type(obj)._default_manager.filter(q, pk=obj.pk).exists():
        raise NotFound()


def _set_m2m(obj: models.Model, m2m: dict[str, Any]) -> None:
    """Set many-to-many links; every id named must exist (else a Chinese 422, not a
    foreign-key error at commit)."""
    for name, values in m2m.items():
        ids = {v.pk if isinstance(v, models.Model) else v for v in values or []}
        field = type(obj)._meta.get_field(name)
        related = field.related_model
        assert related is not None and not isinstance(related, str)
        if len(ids) != related._default_manager.filter(pk__in=ids).count():
            raise ValidationFailed(
                Said("%(verbose_name)s不存在", verbose_name=related._meta.verbose_name), field=name
            )
        getattr(obj, name).set(ids)


def _is_m2m(model: type[models.Model], name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return False
    return bool(getattr(field, "many_to_many", False))
