"""经销商评级: the records a period's rating reads (set-based, one query per kind), the live
preview a manager looks at, and ``freeze_period`` — the one write: every active dealer's
rating of a finished period with the scheme in force, once per period, audited, a downgrade
moving the dealer's level. The arithmetic is ``rules.rate_dealer`` (pure)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.core.said import Said
from aftersales.dealers import rules
from aftersales.dealers.models import (
    ClaimState,
    Dealer,
    DealerRating,
    DealerTask,
    RatingOutcome,
    RatingPeriod,
    RatingScheme,
)

RATERS = frozenset({"manager", "admin"})
APPRAISED = (
    ClaimState.ACCEPTED,
    ClaimState.PARTLY,
    ClaimState.REJECTED,
    ClaimState.IN_SETTLEMENT,
    ClaimState.SETTLED,
)


def can_rate(actor: Any) -> bool:
    return getattr(actor, "org_kind", "company") == "company" and bool(
        actor.is_superuser or actor.role_codes & RATERS
    )


def _rater(actor: Any, what: str) -> None:
    if not can_rate(actor):
        raise PermissionDenied(Said("只有经理可以%(what)s", what=what))


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    return (
        dt.datetime.combine(start, dt.time(0, 0), tzinfo=tz),
        dt.datetime.combine(end, dt.time(0, 0), tzinfo=tz),
    )


def period_for(starts_on: dt.date, scheme: RatingScheme) -> tuple[dt.date, dt.date]:
    """The period starting on ``starts_on`` under the scheme's length; refused when the day
    does not begin one (quarters start on 1-01, 4-01, 7-01, 10-01)."""
    if not 2000 <= starts_on.year <= 2999:
        raise ValidationFailed("评级期间应在2000年至2999年之间", field="period_start")
    start, end = rules.period_of(starts_on, int(scheme.period_months))
    if start != starts_on:
        raise ValidationFailed(
            Said(
                "评级期间应从%(start)s开始（评级周期为%(get_period_months_display)s）",
                start=format(start, "%Y-%m-%d"),
                get_period_months_display=scheme.get_period_months_display(),
            ),
            field="period_start",
        )
    return start, end


def facts(start: dt.date, end: dt.date) -> dict[int, rules.DealerFacts]:
    """Every dealer's records of [start, end) (local days): tasks assigned in it with their
    arrangement clock, complaints about it registered in it (by consumers, not cancelled,
    not found to be someone else's fault), claims appraised in it, its customers' callbacks
    done in it."""
    from aftersales.approvals.models import Deadline
    from aftersales.quality.models import Complaint
    from aftersales.service.models import Callback

    since, until = _bounds(start, end)
    tasks = list(
        DealerTask.objects.filter(
            dealer__isnull=False,  # a department's tasks are not the dealer's record
            assigned_at__gte=since,
            assigned_at__lt=until,
            archived_at__isnull=True,
        ).values_list("pk", "dealer_id", "arranged_at")
    )
    from aftersales.dealers.services.tasks import STEP_ARRANGE

    due = dict(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(DealerTask),
            object_id__in=[pk for pk, _, _ in tasks],
            step=STEP_ARRANGE,
        ).values_list("object_id", "due_at")
    )
    timings: dict[int, list[rules.TaskTiming]] = defaultdict(list)
    for pk, dealer_id, arranged_at in tasks:
        if pk in due:  # a task without its clock (none in practice) is not judged
            timings[dealer_id].append(rules.TaskTiming(due[pk], arranged_at))
    complaints = dict(
        Complaint.objects.filter(
            dealer__isnull=False,
            complainant="consumer",
            registered_at__gte=since,
            registered_at__lt=until,
        )
        .exclude(state="cancelled")
        .exclude(severity="not_our_fault")
        .values("dealer_id")
        .annotate(n=Count("id"))
        .values_list("dealer_id", "n")
    )
    from aftersales.dealers.models import WarrantyClaim

    claims = {
        r["dealer_id"]: r
        for r in WarrantyClaim.objects.filter(
            appraised_at__gte=since,
            appraised_at__lt=until,
            state__in=APPRAISED,
            archived_at__isnull=True,
        )
        .values("dealer_id")
        .annotate(n=Count("id"), rejected=Count("id", filter=Q(state=ClaimState.REJECTED)))
    }
    done = [
        (dealer_id, solved, score)
        for dealer_id, solved, score in Callback.objects.filter(
            state=Callback.State.DONE,
            done_at__gte=since,
            done_at__lt=until,
            customer__dealer__isnull=False,
        ).values_list("customer__dealer_id", "solved", "score")
    ]
    callbacks: dict[int, list[bool]] = defaultdict(list)
    for dealer_id, solved, score in done:
        callbacks[dealer_id].append(Callback(solved=solved, score=score).satisfied)
    out: dict[int, rules.DealerFacts] = {}
    for dealer_id in set(timings) | set(complaints) | set(claims) | set(callbacks):
        c = claims.get(dealer_id, {"n": 0, "rejected": 0})
        cb = callbacks.get(dealer_id, [])
        out[dealer_id] = rules.DealerFacts(
            tasks=tuple(timings.get(dealer_id, ())),
            complaints=complaints.get(dealer_id, 0),
            claims_appraised=c["n"],
            claims_rejected=c["rejected"],
            callbacks_done=len(cb),
            callbacks_satisfied=sum(cb),
        )
    return out


@dataclass
class Rated:
    dealer: Dealer
    facts: rules.DealerFacts
    result: rules.RatingResult


def _rate_all(start: dt.date, end: dt.date, scheme: RatingScheme) -> list[Rated]:
    found = facts(start, end)
    rule = scheme.rule()
    return [
        Rated(d, f, rules.rate_dealer(f, rule))
        for d in Dealer.objects.filter(archived_at__isnull=True).order_by("code")
        for f in [found.get(d.pk, rules.DealerFacts())]
    ]


def _row(r: Rated, scheme: RatingScheme, period: RatingPeriod | None = None) -> DealerRating:
    c, f = r.result.components, r.facts
    return DealerRating(
        period=period,
        dealer=r.dealer,
        tasks_total=len(f.tasks),
        tasks_in_time=f.tasks_in_time,
        complaints=f.complaints,
        claims_appraised=f.claims_appraised,
        claims_rejected=f.claims_rejected,
        callbacks_done=f.callbacks_done,
        callbacks_satisfied=f.callbacks_satisfied,
        arrangement_score=c["arrangement"],
        complaint_score=c["complaints"],
        rejection_score=c["rejection"],
        callback_score=c["callbacks"],
        score=r.result.score,
        outcome=r.result.outcome,
        level_before=r.dealer.level,
        level_after=rules.level_after(r.dealer.level, r.result.outcome),
        reward_amount=scheme.reward_amount
        if r.result.outcome == RatingOutcome.REWARD
        else Decimal("0.00"),
    )


def last_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last finished period under the scheme in force."""
    months = int(RatingScheme.current().period_months)
    return rules.previous_period(today or timezone.localdate(), months)


def preview(*, actor: Any, period_start: dt.date | None = None) -> list[DealerRating]:
    """The ratings a period (by default the last finished one) would get now: unsaved rows,
    the period may still be running."""
    _rater(actor, "查看评级试算")
    scheme = RatingScheme.current()
    period_start = period_start or last_period()[0]
    start, end = period_for(period_start, scheme)
    return [_row(r, scheme) for r in _rate_all(start, end, scheme)]


@transaction.atomic
def freeze_period(
    *, actor: Any, period_start: dt.date, now: dt.datetime | None = None
) -> RatingPeriod:
    """Rate every active dealer for the finished period starting ``period_start`` and freeze
    it: refused a second time (or for a period overlapping a frozen one) with nothing
    written; a downgraded dealer moves one level down, audited on the dealer."""
    _rater(actor, "评定经销商评级")
    now = now or timezone.now()
    scheme = RatingScheme.current()
    if scheme.pk:  # one freeze at a time
        scheme = RatingScheme.objects.select_for_update().get(pk=scheme.pk)
    start, end = period_for(period_start, scheme)
    if end > timezone.localdate(now):
        raise ValidationFailed(
            Said(
                "评级期间到%(v1)s才结束，结束后才能评定",
                v1=format(end - dt.timedelta(days=1), "%Y-%m-%d"),
            ),
            field="period_start",
        )
    clash = RatingPeriod.objects.filter(starts_on__lt=end, ends_on__gt=start).first()
    if clash is not None:
        raise Conflict(Said("期间%(clash)s已评定，不能重复评级", clash=clash), code="already_rated")
    rated = _rate_all(start, end, scheme)
    try:
        with transaction.atomic():
            period = RatingPeriod.objects.create(
                starts_on=start,
                ends_on=end,
                scheme=scheme.snapshot(),
                frozen_at=now,
                frozen_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict("该期间已评定，不能重复评级", code="already_rated") from exc
    rows = DealerRating.objects.bulk_create([_row(r, scheme, period) for r in rated])
    outcomes: dict[str, int] = defaultdict(int)
    for row in rows:
        outcomes[row.outcome] += 1
        if row.level_after != row.level_before:
            Dealer.objects.filter(pk=row.dealer_id).update(level=row.level_after, updated_at=now)
            audit.record(
                row.dealer,
                actor=actor,
                action="update",
                verb="经销商评级降级",
                before={"level": row.level_before},
                after={"level": row.level_after},
                reason=Said("%(period)s评级%(score)s分", period=period, score=row.score),
                payload={"rating_id": row.pk},
            )
    audit.record(
        period,
        actor=actor,
        action="create",
        verb="评定经销商评级",
        payload={"scheme": period.scheme, "outcomes": dict(outcomes), "dealers": len(rows)},
    )
    return period
