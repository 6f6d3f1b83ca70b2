"""Loading lists: the finished-goods loading list of 001 4.3 (approved by 品质办主任 through
the engine → sales order → sales-finance review → logistics loads and tracks) and the daily
parts loading list of 4.7 (the day's pick-ups in the finished-goods shipping order)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.approvals import inputs, workflow
from aftersales.approvals.services import engine
from aftersales.core import audit
from aftersales.core.errors import InvalidTransition, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.parts.models import (
    Group,
    LoadingList,
    LoadingListItem,
    LoadingListKind,
    LoadingListState,
    PartsRequest,
    PartsRequestState,
)
from aftersales.parts.services.base import lock_request, move
from aftersales.parts.transitions import AGENTS, LOADING_LIST, STORE
from aftersales.stock.services import intake as stock_intake


def _lock(ll: LoadingList | int) -> LoadingList:
    pk = ll.pk if isinstance(ll, LoadingList) else int(ll)
    found: LoadingList = workflow.lock(LoadingList, pk)
    return found


def _move(ll: LoadingList, action: str, *, actor: Any, now: dt.datetime, **kw: Any) -> LoadingList:
    return workflow.move(ll, LOADING_LIST, action, actor=actor, now=now, **kw)  # type: ignore[no-any-return]


def _new_list(
    kind: str,
    day: dt.date,
    actor: Any,
    requests: list[PartsRequest],
    now: dt.datetime,
    note: str = "",
) -> LoadingList:
    ll = LoadingList.objects.create(
        number=next_number("ZC", on=now),
        kind=kind,
        day=day,
        created_by=actor if getattr(actor, "pk", None) else None,
        note=(note or "").strip(),
    )
    LoadingListItem.objects.bulk_create(
        LoadingListItem(loading_list=ll, request=r, seq=i) for i, r in enumerate(requests, start=1)
    )
    audit.record(
        ll,
        actor=actor,
        action="create",
        after=audit.snapshot(ll),
        payload={"requests": [r.number for r in requests]},
        at=now,
    )
    return ll


def finished_goods_list(
    *,
    actor: Any,
    request_ids: list[int],
    day: Any = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> LoadingList:
    """4.3 The agent writes a finished-goods loading list for approved requests shipped
    straight from stock."""
    now = now or timezone.now()
    workflow.require_role(actor, AGENTS, "开成品装车单")
    if not request_ids:
        raise ValidationFailed("请选择要发货的补件单", field="request_ids")
    when = inputs.date(day, field="day", label="发货日期") if day else timezone.localdate(now)
    with transaction.atomic():
        locked = [lock_request(pk) for pk in sorted(set(request_ids))]
        for r in locked:
            move(
                r,
                "ship_from_stock",
                actor=actor,
                now=now,
                fields={"responsible_group": Group.FINISHED_GOODS, "released_at": now},
            )
        return _new_list(LoadingListKind.FINISHED_GOODS, when, actor, locked, now, note)


def submit(
    *, actor: Any, loading_list: LoadingList | int, now: dt.datetime | None = None
) -> LoadingList:
    now = now or timezone.now()
    with transaction.atomic():
        ll = _lock(loading_list)
        if ll.kind != LoadingListKind.FINISHED_GOODS:
            raise InvalidTransition("补件装车单无需审批")
        _move(ll, "submit", actor=actor, now=now)
        engine.submit(
            actor=actor,
            document=ll,
            flow_code="fg_loading_list",
            title=Said(
                "成品装车单 %(day)s，%(count)s单",
                day=format(ll.day, "%Y-%m-%d"),
                count=ll.items.count(),
            ),
            now=now,
        )
    return ll


def sales_order(
    *,
    actor: Any,
    loading_list: LoadingList | int,
    sales_order_no: str,
    now: dt.datetime | None = None,
) -> LoadingList:
    """4.3 The sales clerk issues the sales order."""
    now = now or timezone.now()
    no = inputs.text(sales_order_no, field="sales_order_no", label="销售单号", max_length=40)
    with transaction.atomic():
        ll = _lock(loading_list)
        return _move(
            ll,
            "sales_order",
            actor=actor,
            now=now,
            fields={"sales_order_no": no, "sales_ordered_at": now},
        )


def finance_review(
    *, actor: Any, loading_list: LoadingList | int, now: dt.datetime | None = None
) -> LoadingList:
    now = now or timezone.now()
    with transaction.atomic():
        ll = _lock(loading_list)
        return _move(
            ll,
            "finance_review",
            actor=actor,
            now=now,
            fields={"finance_reviewed_by": actor, "finance_reviewed_at": now},
        )


def ship(
    *,
    actor: Any,
    loading_list: LoadingList | int,
    carrier: str,
    tracking_no: str = "",
    now: dt.datetime | None = None,
) -> LoadingList:
    """Logistics loads the list; every request on it is shipped."""
    now = now or timezone.now()
    carrier = inputs.text(carrier, field="carrier", label="承运/车辆", max_length=100)
    with transaction.atomic():
        ll = _lock(loading_list)
        if ll.kind == LoadingListKind.FINISHED_GOODS and ll.state == LoadingListState.DRAFT:
            raise InvalidTransition("成品装车单须经审批、开销售单和销售财务审核后才能装车")
        _move(
            ll,
            "ship",
            actor=actor,
            now=now,
            fields={
                "carrier": carrier,
                "tracking_no": (tracking_no or "").strip(),
                "shipped_at": now,
            },
        )
        for item in ll.items.order_by("seq"):
            r = lock_request(item.request_id)
            # the shipped parts leave the store they ship from (库存不足: the whole list is
            # refused, nothing written)
            issued = stock_intake.parts_shipped(actor=actor, request=r, now=now)
            move(
                r,
                "load",
                actor=actor,
                now=now,
                fields={"shipped_at": now},
                payload={"loading_list": ll.number}
                | ({"stock_issue": issued.number} if issued else {}),
            )
    return ll


def delivered(
    *, actor: Any, loading_list: LoadingList | int, now: dt.datetime | None = None
) -> LoadingList:
    """Tracked to the customer: the list and its requests are delivered."""
    from aftersales.approvals.services import deadlines

    now = now or timezone.now()
    with transaction.atomic():
        ll = _lock(loading_list)
        _move(ll, "deliver", actor=actor, now=now, fields={"delivered_at": now})
        for item in ll.items.order_by("seq"):
            r = lock_request(item.request_id)
            if r.state == PartsRequestState.SHIPPED:
                move(r, "deliver", actor=actor, now=now, fields={"delivered_at": now})
                deadlines.complete(r, step="delivery", at=now)
    return ll


def daily_list(*, actor: Any, day: Any = None, now: dt.datetime | None = None) -> LoadingList:
    """4.7 The shipping clerk groups the day's pick-ups (parts in the after-sales store not
    yet on a list) into a loading list, in the finished-goods shipping order."""
    now = now or timezone.now()
    workflow.require_role(actor, STORE, "开补件装车单")
    when = inputs.date(day, field="day", label="发货日期") if day else timezone.localdate(now)
    with transaction.atomic():
        waiting = list(
            PartsRequest.objects.select_for_update(of=("self",))
            .filter(state=PartsRequestState.IN_STORE)
            .exclude(
                pk__in=LoadingListItem.objects.filter(
                    loading_list__kind=LoadingListKind.DAILY,
                    loading_list__state=LoadingListState.DRAFT,
                ).values("request_id")
            )
            .select_related("customer__region")
            .order_by("customer__region__code", "customer__name", "requested_at", "id")
        )
        if not waiting:
            raise ValidationFailed("当日没有待发货的补件")
        return _new_list(LoadingListKind.DAILY, when, actor, waiting, now)
