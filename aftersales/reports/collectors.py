"""The selectors of the panels: each reads one domain's rows for the local days
``[start, end)`` and yields ``Fact`` rows grouped by day, the five filter dimensions and the
panel's keys — one grouped query per panel (``backlog``: one per day), so building a day costs
the same whatever the size of the history.

The filter dimensions of a ticket: the customer's region, tier and dealer, the product
category of the equipment, and the *team* — the department of the technician of the ticket's
latest work order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone

from aftersales.reports.registry import Fact

DIMS = ("region_id", "team_id", "category_id", "tier", "dealer_id")
# annotation names (a model may have a field of the dimension's name, e.g. Ticket.dealer_id)
X = {d: f"x_{d}" for d in DIMS}
XDIMS = tuple(X.values())
SLA_METRICS = ("response", "on_site", "resolution")
FIX_TYPES = ("repair",)


def bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight of ``start`` and of ``end`` (exclusive) as aware datetimes."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end, dt.time(), tzinfo=tz),
    )


class Minutes(Func):
    """Whole minutes of a duration expression."""

    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 60)::bigint"
    output_field = BigIntegerField()


def minutes_between(later: str, earlier: str) -> Minutes:
    return Minutes(ExpressionWrapper(F(later) - F(earlier), output_field=DurationField()))


def team_of(ticket_ref: str) -> Subquery:
    from aftersales.service.models import WorkOrder

    return Subquery(
        WorkOrder.objects.filter(ticket_id=OuterRef(ticket_ref), technician__isnull=False)
        .order_by("-dispatched_at", "-id")
        .values("technician__department_id")[:1],
        output_field=IntegerField(),
    )


def ticket_dims(prefix: str = "") -> dict[str, Any]:
    """The filter dimensions of a ticket reached by ``prefix`` ("" or "ticket__")."""
    return {
        X["region_id"]: F(f"{prefix}customer__region_id"),
        X["tier"]: F(f"{prefix}customer__tier"),
        X["dealer_id"]: F(f"{prefix}customer__dealer_id"),
        X["category_id"]: F(f"{prefix}equipment__model__category_id"),
        X["team_id"]: team_of(f"{prefix}id" if prefix else "id"),
    }


def _grouped(
    qs: QuerySet[Any], day_field: str, dims: dict[str, Any], keys: dict[str, Any]
) -> QuerySet[Any]:
    keys = {
        k: Cast(v, output_field=_char()) if not isinstance(v, Value) else v for k, v in keys.items()
    }
    return qs.annotate(rday=TruncDate(day_field), **dims, **keys).values(
        "rday", *dims.keys(), *keys.keys()
    )


def _char() -> Any:
    from django.db.models import CharField

    return CharField()


def _facts(rows: Any, **fixed: Any) -> Iterator[Fact]:
    for r in rows:
        yield Fact(
            day=r["rday"],
            region_id=r.get("x_region_id"),
            team_id=r.get("x_team_id"),
            category_id=r.get("x_category_id"),
            tier=r.get("x_tier") or "",
            dealer_id=r.get("x_dealer_id"),
            key1=str(r.get("key1") if r.get("key1") is not None else fixed.get("key1", ""))[:60],
            key2=str(r.get("key2") if r.get("key2") is not None else fixed.get("key2", ""))[:60],
            n=int(r.get("n") or 0),
            hits=int(r.get("hits") or 0),
            total=int(r.get("total") or 0),
            total2=int(r.get("total2") or 0),
            peak=int(r.get("peak") or 0),
        )


# -- SLA ------------------------------------------------------------------------------------


def sla(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Decided SLA clocks (met in time, or breached — met late or still open past due) of
    the tickets received that day, per target and severity; breach minutes summed and the
    longest kept."""
    from aftersales.service.models import SlaClock

    lo, hi = bounds(start, end)
    qs = SlaClock.objects.filter(
        ticket__received_at__gte=lo,
        ticket__received_at__lt=hi,
        metric__in=SLA_METRICS,
        status__in=[SlaClock.Status.MET, SlaClock.Status.BREACHED],
    )
    rows = _grouped(
        qs,
        "ticket__received_at",
        ticket_dims("ticket__"),
        {"key1": F("metric"), "key2": F("ticket__severity")},
    ).annotate(
        n=Count("id"),
        hits=Count("id", filter=Q(status=SlaClock.Status.MET)),
        total=Sum("breach_minutes", filter=Q(status=SlaClock.Status.BREACHED)),
        peak=Max("breach_minutes", filter=Q(status=SlaClock.Status.BREACHED)),
    )
    yield from _facts(rows)


# -- first-time fix, mean times, contacts, costs ----------------------------------------------


def first_fix(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Repair tickets resolved that day: fixed the first time = never reopened and at most one
    visit (work orders with a check-in; a remote fix has none)."""
    from aftersales.service.models import Ticket, TicketState, WorkOrder

    lo, hi = bounds(start, end)
    visits = Subquery(
        WorkOrder.objects.filter(ticket_id=OuterRef("id"), check_in_at__isnull=False)
        .values("ticket_id")
        .annotate(c=Count("id"))
        .values("c")[:1],
        output_field=IntegerField(),
    )
    qs = (
        Ticket.objects.filter(resolved_at__gte=lo, resolved_at__lt=hi, type__in=FIX_TYPES)
        .exclude(state=TicketState.CANCELLED)
        .annotate(visits=Coalesce(visits, 0))
    )
    rows = _grouped(qs, "resolved_at", ticket_dims(), {"key1": F("severity")}).annotate(
        n=Count("id"), hits=Count("id", filter=Q(reopen_count=0, visits__lte=1))
    )
    yield from _facts(rows)


def times(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Tickets received that day: minutes to the first response (the response clock met),
    to the first check-in on site, to resolution."""
    from aftersales.service.models import SlaClock, Ticket, WorkOrder

    lo, hi = bounds(start, end)
    tickets = Ticket.objects.filter(received_at__gte=lo, received_at__lt=hi)
    responded = Subquery(
        SlaClock.objects.filter(
            ticket_id=OuterRef("id"), metric="response", met_at__isnull=False
        ).values("met_at")[:1]
    )
    arrived = Subquery(
        WorkOrder.objects.filter(ticket_id=OuterRef("id"), check_in_at__isnull=False)
        .values("ticket_id")
        .annotate(first=Min("check_in_at"))
        .values("first")[:1]
    )
    for metric, qs in (
        ("response", tickets.annotate(at=responded)),
        ("on_site", tickets.annotate(at=arrived)),
        ("resolution", tickets.annotate(at=F("resolved_at"))),
    ):
        rows = _grouped(
            qs.filter(at__isnull=False).annotate(m=minutes_between("at", "received_at")),
            "received_at",
            ticket_dims(),
            {"key1": Value(metric), "key2": F("severity")},
        ).annotate(n=Count("id"), total=Sum("m"), peak=Max("m"))
        yield from _facts(rows)


def contacts(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Every request logged that day (call, letter, visit, portal…), by channel and type."""
    from aftersales.service.models import Ticket

    lo, hi = bounds(start, end)
    qs = Ticket.objects.filter(received_at__gte=lo, received_at__lt=hi)
    rows = _grouped(
        qs, "received_at", ticket_dims(), {"key1": F("channel"), "key2": F("type")}
    ).annotate(n=Count("id"))
    yield from _facts(rows)


def costs(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Tickets resolved that day by warranty outcome (free / at cost / chargeable / excluded):
    accepted quotes' totals and waived amounts, in cents."""
    from aftersales.service.models import Quote, Ticket, TicketState, WarrantyRecord

    lo, hi = bounds(start, end)
    outcome = Subquery(
        WarrantyRecord.objects.filter(ticket_id=OuterRef("id"), archived_at__isnull=True)
        .order_by("-created_at", "-id")
        .values("outcome")[:1]
    )

    def quoted(field: str) -> Subquery:
        return Subquery(
            Quote.objects.filter(ticket_id=OuterRef("id"), state=Quote.State.ACCEPTED)
            .values("ticket_id")
            .annotate(s=Sum(field))
            .values("s")[:1]
        )

    qs = (
        Ticket.objects.filter(resolved_at__gte=lo, resolved_at__lt=hi)
        .exclude(state=TicketState.CANCELLED)
        .annotate(
            outcome=Coalesce(outcome, Value("")),
            charged=Coalesce(quoted("total"), Value(0), output_field=_decimal()),
            waived=Coalesce(quoted("waived_total"), Value(0), output_field=_decimal()),
        )
    )
    rows = _grouped(qs, "resolved_at", ticket_dims(), {"key1": F("outcome")}).annotate(
        n=Count("id"),
        hits=Count("id", filter=Q(charged__gt=0)),
        total=Cast(Sum("charged") * 100, output_field=BigIntegerField()),
        total2=Cast(Sum("waived") * 100, output_field=BigIntegerField()),
    )
    yield from _facts(rows)


def _decimal() -> Any:
    from django.db.models import DecimalField

    return DecimalField(max_digits=14, decimal_places=2)


# -- backlog (a state at each day's end) -------------------------------------------------------

AGE_BUCKETS = ((1, "lt1d"), (3, "1to3d"), (7, "3to7d"), (30, "7to30d"), (None, "gt30d"))


def backlog(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Tickets open at the end of each day (received by then, neither resolved nor closed by
    then, never cancelled), by age in days and severity. One query per day, reading through
    the index on resolution time only the tickets resolved after that day or not yet."""
    from django.db.models import Case, When

    from aftersales.service.models import Ticket, TicketState

    day = start
    while day < end:
        _, close = bounds(day, day + dt.timedelta(days=1))
        whens = [
            When(received_at__gt=close - dt.timedelta(days=limit), then=Value(code))
            for limit, code in AGE_BUCKETS
            if limit is not None
        ]
        # open at the close: written as "not yet resolved or resolved after" (not as an
        # exclude, which reads NOT (resolved_at < close) and scans every ticket received
        # before), so the index on resolved_at finds the few still open then
        qs = (
            Ticket.objects.filter(received_at__lt=close)
            .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=close))
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=close))
            .exclude(state=TicketState.CANCELLED)
            .annotate(rday=Value(day), bucket=Case(*whens, default=Value("gt30d")), **ticket_dims())
            .values("rday", *XDIMS, "bucket", "severity")
            .annotate(n=Count("id"), peak=Max(minutes_between_const(close)))
        )
        for r in qs:
            yield Fact(
                day=day,
                region_id=r["x_region_id"],
                team_id=r["x_team_id"],
                category_id=r["x_category_id"],
                tier=r["x_tier"] or "",
                dealer_id=r["x_dealer_id"],
                key1=r["bucket"],
                key2=r["severity"],
                n=r["n"],
                peak=int(r["peak"] or 0),
            )
        day += dt.timedelta(days=1)


def minutes_between_const(close: dt.datetime) -> Minutes:
    return Minutes(ExpressionWrapper(Value(close) - F("received_at"), output_field=DurationField()))


# -- service reports: faults, components, causes, parts used, repeat repairs -------------------


def _reports(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from aftersales.service.models import ServiceReport, TicketType

    lo, hi = bounds(start, end)
    return ServiceReport.objects.filter(
        filed_at__gte=lo, filed_at__lt=hi, archived_at__isnull=True
    ).exclude(ticket__type=TicketType.INSPECTION)


def faults(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Service reports filed that day by product model and fault category."""
    rows = _grouped(
        _reports(start, end),
        "filed_at",
        ticket_dims("ticket__"),
        {
            "key1": Coalesce(F("ticket__equipment__model__code"), Value("")),
            "key2": F("fault_category"),
        },
    ).annotate(n=Count("id"))
    yield from _facts(rows)


def components(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Service reports filed that day by faulty component and cause class."""
    rows = _grouped(
        _reports(start, end),
        "filed_at",
        ticket_dims("ticket__"),
        {"key1": F("component_code"), "key2": F("cause_class")},
    ).annotate(n=Count("id"))
    yield from _facts(rows)


def parts_used(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Parts fitted in the reports filed that day, by part and how the parts were charged
    (the ticket's current warranty decision: waived = free)."""
    from aftersales.service.models import ReportPart, TicketType, WarrantyRecord

    lo, hi = bounds(start, end)
    charge = Subquery(
        WarrantyRecord.objects.filter(
            ticket_id=OuterRef("report__ticket_id"), archived_at__isnull=True
        )
        .order_by("-created_at", "-id")
        .values("parts_charge")[:1]
    )
    qs = ReportPart.objects.filter(
        report__filed_at__gte=lo, report__filed_at__lt=hi, report__archived_at__isnull=True
    ).exclude(report__ticket__type=TicketType.INSPECTION)
    rows = _grouped(
        qs,
        "report__filed_at",
        ticket_dims("report__ticket__"),
        {"key1": F("part__code"), "key2": Coalesce(charge, Value(""))},
    ).annotate(n=Sum("quantity"), hits=Count("report_id", distinct=True))
    yield from _facts(rows)


def repeats(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Reports filed that day per technician and product model (``n``), and the repeat
    repairs among them (SPEC §3.5, the service's rule ``find_repeat`` sets ``repeat_of``)
    counted against the technician whose earlier repair did not hold (``hits``)."""
    from aftersales.service.models import ServiceReport

    model = Coalesce(F("ticket__equipment__model__code"), Value(""))
    filed = _grouped(
        _reports(start, end),
        "filed_at",
        ticket_dims("ticket__"),
        {"key1": Coalesce(F("work_order__technician_id"), Value(0)), "key2": model},
    ).annotate(n=Count("id"))
    yield from _facts(filed)
    earlier_tech = Subquery(
        ServiceReport.objects.filter(ticket_id=OuterRef("repeat_of_id"), filed_at__isnull=False)
        .order_by("-filed_at")
        .values("work_order__technician_id")[:1],
        output_field=IntegerField(),
    )
    charged = _grouped(
        _reports(start, end).filter(repeat_of__isnull=False),
        "filed_at",
        ticket_dims("ticket__"),
        {"key1": Coalesce(earlier_tech, Value(0)), "key2": model},
    ).annotate(hits=Count("id"))
    yield from _facts(charged)


# -- callbacks ----------------------------------------------------------------------------------

QUESTIONS = ("attitude", "quality", "score", "solved", "unreachable")


def callbacks(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Callbacks finished that day (answered or given up as unreachable), per question:
    ``n`` answered, ``total`` the sum of the 1–5 marks (``solved``: ``hits`` = yes)."""
    from aftersales.service.models import Callback

    lo, hi = bounds(start, end)
    qs = Callback.objects.filter(
        done_at__gte=lo,
        done_at__lt=hi,
        state__in=[Callback.State.DONE, Callback.State.UNREACHABLE],
        archived_at__isnull=True,
    )
    dims = {
        X["region_id"]: F("customer__region_id"),
        X["tier"]: F("customer__tier"),
        X["dealer_id"]: F("customer__dealer_id"),
        X["category_id"]: F("ticket__equipment__model__category_id"),
        X["team_id"]: team_of("ticket_id"),
    }
    done = Q(state=Callback.State.DONE)
    rows = (
        qs.annotate(rday=TruncDate("done_at"), **dims)
        .values("rday", *XDIMS)
        .annotate(
            unreachable=Count("id", filter=Q(state=Callback.State.UNREACHABLE)),
            attitude_n=Count("attitude", filter=done),
            attitude_sum=Sum("attitude", filter=done),
            quality_n=Count("quality", filter=done),
            quality_sum=Sum("quality", filter=done),
            score_n=Count("score", filter=done),
            score_sum=Sum("score", filter=done),
            score_low=Count("id", filter=done & Q(score__lt=3)),
            solved_n=Count("solved", filter=done),
            solved_yes=Count("id", filter=done & Q(solved=True)),
            finished=Count("id"),
        )
    )
    for r in rows:
        base = {
            "day": r["rday"],
            "region_id": r["x_region_id"],
            "team_id": r["x_team_id"],
            "category_id": r["x_category_id"],
            "tier": r["x_tier"] or "",
            "dealer_id": r["x_dealer_id"],
        }
        for q in ("attitude", "quality", "score"):
            if r[f"{q}_n"]:
                yield Fact(
                    **base,
                    key1=q,
                    n=r[f"{q}_n"],
                    total=int(r[f"{q}_sum"] or 0),
                    hits=r["score_low"] if q == "score" else 0,
                )
        if r["solved_n"]:
            yield Fact(**base, key1="solved", n=r["solved_n"], hits=r["solved_yes"])
        yield Fact(**base, key1="unreachable", n=r["finished"], hits=r["unreachable"])


# -- deadlines of parts requests and returns ---------------------------------------------------


def deadlines(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """The timed steps of parts requests and returns falling due that day (not cancelled):
    on time (done by the due time), overdue (done late, or still open past due); ``total2``
    the overdue minutes, ``peak`` the longest."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Case, When

    from aftersales.approvals.models import Deadline
    from aftersales.parts.models import PartsRequest
    from aftersales.returns.models import ReturnRequest

    lo, hi = bounds(start, end)
    now = timezone.now()
    for code, model in (("parts", PartsRequest), ("returns", ReturnRequest)):
        doc = model.objects.filter(pk=OuterRef("object_id"))

        def of(path: str, out: Any = None, doc: Any = doc) -> Subquery:
            return (
                Subquery(doc.values(path)[:1], output_field=out)
                if out
                else Subquery(doc.values(path)[:1])
            )

        dims = {
            X["region_id"]: of("customer__region_id", IntegerField()),
            X["tier"]: of("customer__tier"),
            X["dealer_id"]: of("customer__dealer_id", IntegerField()),
            X["category_id"]: Value(None, output_field=IntegerField()),
            X["team_id"]: Value(None, output_field=IntegerField()),
        }
        late_until = Case(When(done_at__isnull=False, then=F("done_at")), default=Value(now))
        qs = Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            due_at__gte=lo,
            due_at__lt=min(hi, now),  # not yet due: neither on time nor overdue
            cancelled_at__isnull=True,
        )
        overdue = Q(done_at__gt=F("due_at")) | Q(done_at__isnull=True)
        rows = (
            qs.annotate(
                rday=TruncDate("due_at"),
                **dims,
                key2=F("step"),
                late=Minutes(
                    ExpressionWrapper(late_until - F("due_at"), output_field=DurationField())
                ),
            )
            .values("rday", *XDIMS, "key2")
            .annotate(
                n=Count("id"),
                hits=Count("id", filter=Q(done_at__lte=F("due_at"))),
                total=Count("id", filter=overdue),
                total2=Sum("late", filter=overdue),
                peak=Max("late", filter=overdue),
            )
        )
        yield from _facts(rows, key1=code)


# -- complaints (the quality app) ----------------------------------------------------------------


def complaints(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Complaints registered that day (not cancelled), by category and complainant: ``hits``
    replied, ``total`` / ``peak`` the minutes to the first reply (summed / longest),
    ``total2`` closed."""
    from aftersales.quality.models import Complaint, ComplaintState

    lo, hi = bounds(start, end)
    qs = (
        Complaint.objects.filter(
            registered_at__gte=lo, registered_at__lt=hi, archived_at__isnull=True
        )
        .exclude(state=ComplaintState.CANCELLED)
        .annotate(reply=minutes_between("replied_at", "registered_at"))
    )
    dims = {
        X["region_id"]: F("customer__region_id"),
        X["tier"]: F("customer__tier"),
        X["dealer_id"]: Coalesce(F("dealer_id"), F("customer__dealer_id")),
        X["category_id"]: F("equipment__model__category_id"),
        X["team_id"]: Value(None, output_field=IntegerField()),
    }
    rows = _grouped(
        qs, "registered_at", dims, {"key1": F("category"), "key2": F("complainant")}
    ).annotate(
        n=Count("id"),
        hits=Count("id", filter=Q(replied_at__isnull=False)),
        total=Sum("reply"),
        peak=Max("reply"),
        total2=Count("id", filter=Q(state=ComplaintState.CLOSED)),
    )
    yield from _facts(rows)


# -- planned maintenance (the maintenance app) ---------------------------------------------------


def maintenance(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Visits due that day by plan kind, as the contract coverage counts them: ``n`` planned
    (not cancelled), ``hits`` done, ``total`` overdue (not done, registered overdue)."""
    from aftersales.maintenance.models import MaintenanceVisit
    from aftersales.maintenance.models.visit import OPEN_VISIT_STATES, VisitState

    qs = MaintenanceVisit.objects.filter(
        due_date__gte=start, due_date__lt=end, archived_at__isnull=True
    ).exclude(state=VisitState.CANCELLED)
    rows = (
        qs.annotate(
            rday=F("due_date"),
            x_region_id=F("region_id"),
            x_tier=F("customer__tier"),
            x_dealer_id=F("customer__dealer_id"),
            key1=F("plan__kind"),
        )
        .values("rday", "x_region_id", "x_tier", "x_dealer_id", "key1")
        .annotate(
            n=Count("id"),
            hits=Count("id", filter=Q(state=VisitState.DONE)),
            total=Count("id", filter=Q(state__in=OPEN_VISIT_STATES, overdue_at__isnull=False)),
        )
        .order_by()
    )
    yield from _facts(rows)


# -- stock (the stock app): a state, recorded for today only -------------------------------------


class _SystemReader:
    """Reads every location's stock (the panel's facts are narrowed per viewer later)."""

    is_authenticated = is_active = is_superuser = True
    org_kind = "company"
    role_codes: frozenset[str] = frozenset()
    pk = None


def stock(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Stock on hand per location at the time of the build (a live panel: only today is
    written, earlier days keep what was recorded on them): ``n`` units, ``total`` its value
    in cents, ``hits`` parts below their minimum, ``total2`` the slow movers' value in cents
    and ``peak`` their count (yellow and red, the StockPolicy's months)."""
    from aftersales.stock.models import StockLevel, Warehouse
    from aftersales.stock.selectors import VALUE
    from aftersales.stock.services import flags

    reader = _SystemReader()
    whs = {w.pk: w for w in Warehouse.objects.all()}
    held: dict[int, list[int]] = {}
    for r in (
        StockLevel.objects.filter(quantity__gt=0)
        .values("warehouse_id")
        .annotate(n=Sum("quantity"), amount=Sum(VALUE))
        .order_by()
    ):
        held[r["warehouse_id"]] = [int(r["n"] or 0), int((r["amount"] or 0) * 100), 0, 0, 0]
    for row in flags.slow_moving(reader, flag="any"):
        acc = held.setdefault(row.warehouse.pk, [0, 0, 0, 0, 0])
        acc[3] += int(row.value * 100)
        acc[4] += 1
    for p in flags.below_minimum(reader):
        acc = held.setdefault(p.rule.warehouse_id, [0, 0, 0, 0, 0])
        acc[2] += 1
    for wh_id, (units, value, below, slow_value, slow_n) in held.items():
        wh = whs.get(wh_id)
        yield Fact(
            day=start,
            region_id=wh.region_id if wh else None,
            key1=str(wh_id),
            key2=wh.kind if wh else "",
            n=units,
            total=value,
            hits=below,
            total2=slow_value,
            peak=slow_n,
        )


def shortages(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Shortages recorded that day (a report's part the van did not hold), by part: ``n``
    shortages, ``total`` units short, ``hits`` still waiting for replenishment."""
    from aftersales.stock.models import Shortage, ShortageState

    lo, hi = bounds(start, end)
    qs = Shortage.objects.filter(created_at__gte=lo, created_at__lt=hi, archived_at__isnull=True)
    dims = {
        X["region_id"]: F("van__region_id"),
        X["tier"]: Value(""),
        X["dealer_id"]: Value(None, output_field=IntegerField()),
        X["category_id"]: Value(None, output_field=IntegerField()),
        X["team_id"]: F("technician__department_id"),
    }
    rows = _grouped(qs, "created_at", dims, {"key1": F("part__code")}).annotate(
        n=Count("id"),
        total=Sum("short"),
        hits=Count("id", filter=Q(state=ShortageState.OPEN)),
    )
    yield from _facts(rows)
