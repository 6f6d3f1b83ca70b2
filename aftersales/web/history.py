"""A master record's change history in words (9#19): who did what — the event's own name
(「登记收卡日期」), not a bare 「操作」 — and, for a change, each field by its name with its
values as the pages show them (a choice's label, a linked record's name), not column keys and
codes. Texts are said in the reader's language."""

from __future__ import annotations

import re
from typing import Any

from django.db import models

from aftersales.core import audit
from aftersales.core.said import say

HAN = re.compile(r"[\u3400-\u9fff]")
LIMIT = 50


def _fields(model: type[models.Model]) -> dict[str, models.Field[Any, Any]]:
    return {f.attname: f for f in model._meta.concrete_fields}


def _shown(field: models.Field[Any, Any] | None, value: Any, names: dict[Any, str]) -> str:
    if value in (None, ""):
        return ""
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(say("是") if value else say("否"))
    if field.is_relation and field.related_model is not None:
        return names.get((field.related_model, value), f"#{value}")
    return str(value)


def _linked_names(fields: dict[str, Any], events: list[Any]) -> dict[Any, str]:
    """The names of the records the changes link to, one query per linked model (not one per
    changed value)."""
    wanted: dict[Any, set[Any]] = {}
    for ev in events:
        if ev.action not in ("update", "action"):  # only changes are shown field by field
            continue
        for side in (ev.before, ev.after):
            if not isinstance(side, dict):
                continue
            for key, value in side.items():
                field = fields.get(key)
                if field is not None and field.is_relation and value not in (None, ""):
                    wanted.setdefault(field.related_model, set()).add(value)
    return {
        (model, obj.pk): str(obj)
        for model, ids in wanted.items()
        for obj in model._base_manager.filter(pk__in=ids)
    }


def _state_label(fields: dict[str, Any], value: str) -> str:
    field = fields.get("state") or fields.get("status")
    return _shown(field, value, {}) if value else ""


def rows(obj: models.Model) -> list[dict[str, Any]]:
    fields = _fields(type(obj))
    events = list(audit.history(obj)[:LIMIT])
    names = _linked_names(fields, events)
    out = []
    for ev in events:
        what = say(ev.verb) if ev.verb and HAN.search(ev.verb) else ev.get_action_display()
        changes = []
        if ev.action in ("update", "action") and isinstance(ev.after, dict):
            before = ev.before if isinstance(ev.before, dict) else {}
            for key, after in ev.after.items():
                field = fields.get(key)
                if field is None and key not in before:
                    continue
                label = str(field.verbose_name) if field is not None else key
                changes.append(
                    (label, _shown(field, before.get(key), names), _shown(field, after, names))
                )
        out.append(
            {
                "at": ev.at,
                "actor": ev.actor_repr or say("系统"),
                "what": what,
                "from_state": _state_label(fields, ev.from_state),
                "to_state": _state_label(fields, ev.to_state),
                "reason": ev.reason,
                "changes": changes,
            }
        )
    return out
