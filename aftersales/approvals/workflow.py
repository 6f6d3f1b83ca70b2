"""The one transition path the document apps share: a transition table per document type
and ``move()``: check the table and the actor, change the state, write the event — inside
the caller's transaction on a locked row. Transitions marked ``engine`` (the outcomes of an
approval) can only be made by the approval engine's handlers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.errors import InvalidTransition, NotFound, PermissionDenied
from aftersales.core.said import Said
from aftersales.core.visibility import visibility_q

ENGINE = "engine"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]  # company role codes, plus "dealer" / "customer" for those users
    engine: bool = False  # only the approval engine's outcome handlers


def t(
    action: str,
    label: str,
    sources: Iterable[str],
    target: str,
    roles: Iterable[str] = (),
    *,
    engine: bool = False,
) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(roles), engine)


def table(*transitions: Transition) -> dict[str, Transition]:
    return {tr.action: tr for tr in transitions}


def actor_roles(actor: Any) -> frozenset[str]:
    """Role codes, plus the organisation kind of dealer and customer users."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return frozenset()
    roles = frozenset(actor.role_codes)
    kind = getattr(actor, "org_kind", "company")
    if kind in ("dealer", "customer"):
        roles = roles | {kind}
    return roles


def require_role(actor: Any, roles: Iterable[str], label: str) -> None:
    """Refuse a person outside ``roles`` (the system itself, ``actor=None``, may act)."""
    if actor is None:
        return
    if not actor_roles(actor) & frozenset(roles):
        raise PermissionDenied(Said("您的角色不能执行「%(label)s」", label=label))


def require_visible(obj: models.Model, actor: Any) -> None:
    if actor is None:
        return
    model = type(obj)
    q = visibility_q(model, actor)
    if q is not None and not model._default_manager.filter(q, pk=obj.pk).exists():
        raise NotFound(
            Said("%(verbose_name)s不存在或无权查看", verbose_name=model._meta.verbose_name)
        )


def lock(model: type[Any], pk: int) -> Any:
    try:
        return model._default_manager.select_for_update().get(pk=pk)
    except model.DoesNotExist as exc:
        raise NotFound(
            Said("%(verbose_name)s不存在", verbose_name=model._meta.verbose_name)
        ) from exc


def allowed(obj: Any, transitions: dict[str, Transition], actor: Any) -> list[Transition]:
    roles = actor_roles(actor)
    return [
        tr
        for tr in transitions.values()
        if not tr.engine and obj.state in tr.sources and roles & tr.roles
    ]


def check(obj: Any, tr: Transition, state_label: str) -> None:
    if obj.state not in tr.sources:
        raise InvalidTransition(
            Said(
                "%(verbose_name)s当前状态为「%(state_label)s」，不能执行「%(label)s」",
                verbose_name=obj._meta.verbose_name,
                state_label=state_label,
                label=tr.label,
            )
        )


def move(
    obj: Any,
    transitions: dict[str, Transition],
    action: str,
    *,
    actor: Any,
    now: dt.datetime | None = None,
    via_engine: bool = False,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
) -> Any:
    """Apply one transition to a row locked by the caller (inside ``transaction.atomic``)."""
    assert transaction.get_connection().in_atomic_block, "move() needs a transaction"
    tr = transitions[action]
    if tr.engine and not via_engine:
        raise PermissionDenied(Said("「%(label)s」只能由审批流程完成", label=tr.label))
    if not via_engine:
        require_visible(obj, actor)
    check(obj, tr, obj.get_state_display())
    if not via_engine:
        require_role(actor, tr.roles, tr.label)
    before = obj.state
    obj.state = tr.target
    changed = ["state", "updated_at"]
    for name, value in (fields or {}).items():
        setattr(obj, name, value)
        changed.append(name)
    obj.save(update_fields=changed)
    audit.record(
        obj,
        actor=actor,
        action="transition",
        verb=action,
        from_state=before,
        to_state=obj.state,
        reason=reason,
        payload=payload or {},
        at=now or timezone.now(),
    )
    return obj
