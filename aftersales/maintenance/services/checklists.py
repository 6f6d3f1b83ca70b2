"""Checklists as data, versioned: a change publishes a new version; visits keep theirs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from aftersales.core import audit
from aftersales.core.errors import PermissionDenied, ValidationFailed
from aftersales.core.said import Said
from aftersales.maintenance.models import ChecklistItem, ChecklistTemplate, ItemKind


def current(code: str) -> ChecklistTemplate | None:
    """The newest active version of a checklist."""
    return ChecklistTemplate.objects.active().filter(code=code).order_by("-version").first()


@dataclass
class ItemInput:
    text: str
    kind: str = ItemKind.CHECK
    method: str = ""
    unit: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    photo_required: bool = False


@transaction.atomic
def publish(
    *, actor: Any, code: str, name: str, items: list[ItemInput], category_id: int | None = None
) -> ChecklistTemplate:
    """A new version of checklist ``code`` (version 1 if new); older versions stay as they
    are for the inspections done with them."""
    if actor is not None and not (actor.is_superuser or "admin" in actor.role_codes):
        raise PermissionDenied("只有管理员可以修改检查表")
    if not code.strip() or not name.strip():
        raise ValidationFailed("请填写检查表编码和名称", field="code")
    if not items:
        raise ValidationFailed("检查表至少需要一个检查项", field="items")
    for i, item in enumerate(items, start=1):
        if not item.text.strip():
            raise ValidationFailed(Said("第 %(i)s 项未填写检查项目", i=i), field="items")
        if item.kind not in ItemKind.values:
            raise ValidationFailed(Said("第 %(i)s 项类型无效", i=i), field="items")
        lo, hi = item.min_value, item.max_value
        if lo is not None and hi is not None and lo > hi:
            raise ValidationFailed(Said("第 %(i)s 项下限大于上限", i=i), field="items")
    ChecklistTemplate.objects.select_for_update().filter(code=code).exists()
    last = ChecklistTemplate.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0
    template = ChecklistTemplate.objects.create(
        code=code.strip(), version=last + 1, name=name.strip(), category_id=category_id
    )
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                template=template,
                seq=i,
                text=item.text.strip()[:200],
                method=item.method[:200],
                kind=item.kind,
                unit=item.unit[:20],
                min_value=item.min_value,
                max_value=item.max_value,
                photo_required=item.photo_required,
            )
            for i, item in enumerate(items, start=1)
        ]
    )
    audit.record(
        template,
        actor=actor,
        action="create",
        verb="checklist_publish",
        after=audit.snapshot(template) | {"items": len(items)},
    )
    return template
