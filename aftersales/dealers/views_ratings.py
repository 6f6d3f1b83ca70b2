"""Dealer-rating screens (经销商评级): managers see every dealer's score with its components and
outcome — a frozen period, or the live trial of a period not yet frozen — freeze a finished
period and export it to Excel; a dealer sees its own ratings only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.approvals.web import int_or_none, or_404, post, run
from aftersales.core.errors import ValidationFailed
from aftersales.core.exports import xlsx
from aftersales.core.i18n import translated
from aftersales.dealers import rules, selectors
from aftersales.dealers.models import RatingOutcome, RatingScheme
from aftersales.dealers.services import rating

OUTCOME_CSS = {"reward": "st-done", "keep": "", "downgrade": "st-alert", "unrated": "st-wait"}
RECENT_PERIODS = 8


def _starts(scheme: RatingScheme, today: dt.date) -> list[dt.date]:
    """The starts of the running period and the last few before it (newest first)."""
    months = int(scheme.period_months)
    start, _end = rules.period_of(today, months)
    out = [start]
    while len(out) < RECENT_PERIODS:
        start, _end = rules.period_of(start - dt.timedelta(days=1), months)
        out.append(start)
    return out


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


@login_required
def rating_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    g = request.GET
    f = selectors.RatingFilters(
        period_id=int_or_none(g.get("period_id")),
        dealer_id=int_or_none(g.get("dealer_id")),
        outcome=(g.get("outcome") or "")[:10] or None,
    )
    periods = list(selectors.rating_periods(user))
    frozen = {p.starts_on: p for p in periods}
    trial_start = _date(g.get("start") or "") if rating.can_rate(user) else None
    period: Any = None
    trial = False
    rows: list[Any]
    if trial_start and trial_start in frozen:
        f.period_id, trial_start = frozen[trial_start].pk, None
    if trial_start:
        try:
            rows = rating.preview(actor=user, period_start=trial_start)
        except ValidationFailed as exc:
            from django.contrib import messages

            messages.error(request, exc.message)
            return redirect("dealers:ratings")
        if f.outcome:
            rows = [r for r in rows if r.outcome == f.outcome]
        trial = True
    else:
        if not f.period_id and periods and getattr(user, "org_kind", "company") == "company":
            f.period_id = periods[0].pk
        rows = list(selectors.rating_list(user, f))
        period = next((p for p in periods if p.pk == f.period_id), None)
    if g.get("format") == "xlsx":
        return _export(rows)
    scheme = RatingScheme.current()
    today = timezone.localdate()
    trial_end = rules.period_of(trial_start, int(scheme.period_months))[1] if trial_start else None
    return render(
        request,
        "dealers/ratings.html",
        {
            "rows": [{"r": r, "css": OUTCOME_CSS.get(r.outcome, "")} for r in rows],
            "f": f,
            "periods": periods,
            "period": period,
            "trial": trial,
            "trial_start": trial_start,
            "trial_end": trial_end,
            "can_freeze": trial and trial_end is not None and trial_end <= today,
            "rater": rating.can_rate(user),
            "starts": [s for s in _starts(scheme, today) if s not in frozen],
            "outcomes": translated(RatingOutcome.choices),
            "scheme": scheme,
            "dealer": getattr(user, "org_kind", "") == "dealer",
        },
    )


def _export(rows: list[Any]) -> HttpResponse:
    header = ["评级期间", "经销商", "评级前级别", "评级后级别", "服务任务数", "2小时内安排数"]
    header += ["安排得分", "投诉数", "投诉得分", "已鉴定索赔数", "驳回索赔数", "索赔得分"]
    header += ["回访数", "满意回访数", "回访得分", "综合得分", "评级结果", "奖励金额"]

    def lines() -> Any:
        for r in rows:
            yield [
                str(r.period) if r.period_id else "试算",
                r.dealer.name,
                r.level_before,
                r.level_after,
                r.tasks_total,
                r.tasks_in_time,
                r.arrangement_score,
                r.complaints,
                r.complaint_score,
                r.claims_appraised,
                r.claims_rejected,
                r.rejection_score,
                r.callbacks_done,
                r.callbacks_satisfied,
                r.callback_score,
                r.score,
                RatingOutcome(r.outcome).label,
                r.reward_amount,
            ]

    return xlsx("经销商评级.xlsx", "经销商评级", header, lines())


@login_required
def rating_detail(request: HttpRequest, pk: int) -> HttpResponse:
    r = or_404(lambda: selectors.rating_detail(request.user, pk))
    return render(
        request,
        "dealers/rating.html",
        {"r": r, "css": OUTCOME_CSS.get(r.outcome, ""), "scheme": r.period.scheme},
    )


@login_required
@require_POST
def rating_freeze(request: HttpRequest) -> HttpResponse:
    start = _date(post(request, "period_start"))

    def go() -> Any:
        if start is None:
            raise ValidationFailed("请选择评级期间", field="period_start")
        return rating.freeze_period(actor=request.user, period_start=start)

    made = run(request, go, _("本期经销商评级已评定"))
    if made is None:
        return redirect(f"/dealers/ratings/?start={start}" if start else "/dealers/ratings/")
    return redirect(f"/dealers/ratings/?period_id={made.pk}")
