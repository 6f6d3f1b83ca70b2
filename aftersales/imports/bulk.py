"""Writing an import's rows: ``bulk_create`` and ``UPDATE … FROM (VALUES …)`` in batches, one
audit row per created or changed record, themselves inserted in batches (a few dozen queries
for 10 000 rows). Runs inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.models import AuditEvent
from aftersales.core.text import initials
from aftersales.customers.models import Customer
from aftersales.imports.columns import Spec
from aftersales.imports.plan import RowPlan

CREATE_BATCH = 1000
UPDATE_BATCH = 1000
AUDIT_BATCH = 2000

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class WriteResult:
    created: int
    updated: int


class _Events:
    """Audit rows as ``audit.record`` writes them, collected and inserted in batches."""

    def __init__(self, model: type[models.Model], actor: Any, job_id: int) -> None:
        self.content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
        self.actor = actor if getattr(actor, "pk", None) else None
        self.actor_repr = (
            (getattr(actor, "display_name", "") or str(actor))[:150] if self.actor else "系统"
        )
        self.job_id = job_id
        self.at = timezone.now()
        self.rows: list[AuditEvent] = []

    def add(
        self,
        plan: RowPlan,
        obj: models.Model,
        action: str,
        before: dict[str, Any] | None,
        after: dict[str, Any],
    ) -> None:
        self.rows.append(
            AuditEvent(
                content_type=self.content_type,
                object_id=str(obj.pk),
                object_repr=plan.label[:200],
                action=action,
                verb="import",
                actor=self.actor,
                actor_repr=self.actor_repr,
                at=self.at,
                before=before,
                after=after,
                payload={"import_job": self.job_id, "row": plan.row},
            )
        )

    def save(self) -> None:
        for batch in chunks(self.rows, AUDIT_BATCH):
            AuditEvent.objects.bulk_create(batch)


def update_values(
    model: type[models.Model], objs: Sequence[models.Model], attnames: list[str]
) -> None:
    """``UPDATE … FROM (VALUES …)``: one statement per batch, linear in its size (Django's
    ``bulk_update`` builds a CASE per column whose cost grows with the square of the batch)."""
    if not objs:
        return
    opts = model._meta
    qn = connection.ops.quote_name
    pk = opts.pk
    assert pk is not None
    fields = [pk, *(f for f in opts.concrete_fields if f.attname in attnames)]
    columns = [qn(str(f.column)) for f in fields]
    casts = "(" + ", ".join(f"%s::{f.db_type(connection)}" for f in fields) + ")"
    params: list[Any] = []
    for obj in objs:
        params.extend(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields)
    sets = ", ".join(f"{c} = v.{c}" for c in columns[1:])
    sql = (
        f"UPDATE {qn(opts.db_table)} AS t SET {sets} "
        f"FROM (VALUES {', '.join([casts] * len(objs))}) AS v({', '.join(columns)}) "
        f"WHERE t.{columns[0]} = v.{columns[0]}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _prepare(obj: models.Model) -> None:
    if isinstance(obj, Customer):
        obj.name_initials = initials(obj.name)  # Customer.save() does this; bulk_create doesn't


def write_rows(
    spec: Spec,
    plans: Sequence[RowPlan],
    *,
    actor: Any,
    job_id: int,
    progress: Callable[[int], None],
) -> WriteResult:
    """Create the "create" rows and change the "update" rows; other rows are left alone."""
    model = spec.model
    manager = model._default_manager
    events = _Events(model, actor, job_id)
    done = 0

    creating = [p for p in plans if p.action == "create"]
    for batch in chunks(creating, CREATE_BATCH):
        new_objs = [model(**p.values) for p in batch]
        for new in new_objs:
            _prepare(new)
        manager.bulk_create(new_objs)
        for plan, new in zip(batch, new_objs, strict=True):
            events.add(plan, new, "create", None, audit.snapshot(new))
        done += len(batch)
        progress(done)

    updating = [p for p in plans if p.action == "update" and p.instance is not None]
    changed: set[str] = set()
    objs: list[models.Model] = []
    for plan in updating:
        obj = plan.instance
        assert obj is not None
        before = audit.snapshot(obj)
        for name, value in plan.changes.items():
            setattr(obj, name, value)
        _prepare(obj)
        old_values, new_values = audit.diff(before, audit.snapshot(obj))
        changed.update(new_values)
        obj.updated_at = events.at  # type: ignore[attr-defined]
        events.add(plan, obj, "update", old_values, new_values)
        objs.append(obj)
    attnames = sorted(changed | {"updated_at"})
    for changed_batch in chunks(objs, UPDATE_BATCH):
        update_values(model, changed_batch, attnames)
        done += len(changed_batch)
        progress(done)

    events.save()
    return WriteResult(created=len(creating), updated=len(objs))
