"""The approvals inbox and the decision form (used on every document page too)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from aftersales.approvals import selectors
from aftersales.approvals.models import Decision
from aftersales.approvals.services import engine
from aftersales.approvals.web import post, run
from aftersales.core.i18n import translated
from aftersales.core.said import Said


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    tasks = list(selectors.inbox(request.user)[:300])
    rows = [
        {
            "t": t,
            "overdue": bool(t.due_at and t.due_at < now),
            "colour": "sla-bad" if t.due_at and t.due_at < now else "sla-ok",
        }
        for t in tasks
    ]
    return render(
        request, "approvals/inbox.html", {"rows": rows, "decisions": translated(Decision.choices)}
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    decision = post(request, "decision")
    label = dict(translated(Decision.choices)).get(decision, "审批")
    run(
        request,
        lambda: engine.decide(
            actor=request.user, task=pk, decision=decision, comment=post(request, "comment")
        ),
        Said("已%(label)s", label=label),
    )
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("approvals:inbox")
