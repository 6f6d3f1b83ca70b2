"""Reads of the approval engine: the personal inbox and a document's approval history."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db import models
from django.db.models import Prefetch, Q, QuerySet

from aftersales.approvals import documents
from aftersales.approvals.models import ApprovalRequest, ApprovalTask, RequestState, TaskState


def inbox(user: Any) -> QuerySet[ApprovalTask]:
    """The pending tasks this person may decide (the same rule as ``engine.can_decide``)."""
    if (
        user is None
        or not user.is_authenticated
        or getattr(user, "org_kind", "company") != "company"
    ):
        return ApprovalTask.objects.none()
    roles = sorted(user.role_codes)
    role_q = reduce(or_, [Q(step__role_codes__contains=[r]) for r in roles], Q(pk__in=[]))
    dept = getattr(user, "department_id", None)
    no_roles = Q(step__role_codes=[]) & (
        Q(department__isnull=False) | Q(step__department__isnull=False)
    )
    qs = ApprovalTask.objects.filter(
        state=TaskState.PENDING, request__state=RequestState.PENDING
    ).filter(role_q | no_roles)
    if dept:
        qs = qs.filter(Q(department__isnull=True) | Q(department_id=dept))
        qs = qs.filter(Q(step__department__isnull=True) | Q(step__department_id=dept))
    else:
        qs = qs.filter(department__isnull=True, step__department__isnull=True)
    return qs.select_related("request__flow", "step", "department").order_by(
        "due_at", "activated_at", "id"
    )


def history(document: models.Model) -> list[ApprovalRequest]:
    """Every round of every flow the document went through, with its decisions."""
    return list(
        ApprovalRequest.objects.filter(
            content_type=documents.content_type(document), object_id=document.pk
        )
        .select_related("flow", "submitted_by")
        .prefetch_related(
            Prefetch(
                "tasks",
                queryset=ApprovalTask.objects.select_related(
                    "step", "department", "decided_by"
                ).order_by("order", "id"),
            )
        )
        .order_by("submitted_at", "id")
    )


def latest(document: models.Model, flow_code: str | None = None) -> ApprovalRequest | None:
    qs = ApprovalRequest.objects.filter(
        content_type=documents.content_type(document), object_id=document.pk
    )
    if flow_code:
        qs = qs.filter(flow__code=flow_code)
    return qs.order_by("-submitted_at", "-id").first()


def pending_task_for(document: models.Model, user: Any) -> ApprovalTask | None:
    """The task of this document the user may decide now, if any (for document pages)."""
    return (
        inbox(user)
        .filter(
            request__content_type=documents.content_type(document), request__object_id=document.pk
        )
        .first()
    )


def deadlines_by_document(model: type[models.Model], ids: list[int]) -> dict[int, list[Any]]:
    """The deadlines of many documents of one type at once (for the lists)."""
    from django.contrib.contenttypes.models import ContentType

    from aftersales.approvals.models import Deadline

    out: dict[int, list[Any]] = {}
    if not ids:
        return out
    ct = ContentType.objects.get_for_model(model)
    for d in Deadline.objects.filter(content_type=ct, object_id__in=ids, cancelled_at__isnull=True):
        out.setdefault(int(d.object_id), []).append(d)
    return out


def headline(deadlines: list[Any], now: Any) -> dict[str, Any] | None:
    """The deadline a list shows: an overdue open one first, else the soonest open one, else
    a late-done one; with its colour (sla-ok / sla-warn / sla-bad)."""
    open_ = sorted((d for d in deadlines if d.is_open), key=lambda d: d.due_at)
    late_open = [d for d in open_ if d.is_overdue(now)]
    pick = (late_open or open_ or [d for d in deadlines if d.is_overdue(now)] or [None])[0]
    if pick is None:
        return None
    minutes = int((pick.due_at - now).total_seconds() // 60)
    return {
        "label": pick.label,
        "due_at": pick.due_at,
        "done": not pick.is_open,
        "overdue": pick.is_overdue(now),
        "colour": pick.colour(now),
        "minutes_left": minutes,
        "status": pick.status_label(now),
    }
