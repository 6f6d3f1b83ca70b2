"""Survey screens: the list with sending, the results by question / region / product, and
the public answer page (no login: the invitation's link is the key)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from aftersales.core.errors import DomainError, NotFound, ValidationFailed
from aftersales.core.i18n import translated
from aftersales.core.said import Said
from aftersales.surveys import selectors, services
from aftersales.surveys.models import QuestionKind


def _staff_only(user: Any) -> None:
    if getattr(user, "org_kind", "company") != "company" or not user.has_perm(
        "surveys.view_survey"
    ):
        raise Http404("无权查看满意度调查")


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request.user)
    user: Any = request.user
    return render(
        request,
        "surveys/list.html",
        {
            "surveys": list(selectors.survey_list(user)[:200]),
            "may_send": user.is_superuser or bool(user.role_codes & services.RUNNERS),
        },
    )


@require_POST
@login_required
def survey_send(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request.user)
    try:
        survey = services.send(actor=request.user, survey_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, Said("调查「%(name)s」已发送", name=survey.name))
    return redirect("surveys:list")


@login_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request.user)
    try:
        survey = selectors.survey_detail(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    by = request.GET.get("by") or ""
    status = 200
    try:
        res = services.results(survey, by)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        by, status = "", 400
        res = services.results(survey)
    return render(
        request,
        "surveys/results.html",
        {"survey": survey, "res": res, "by": by, "score": QuestionKind.SCORE},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        inv = services.invitation_by_token(token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    error, values = "", dict[str, str]()
    closed = inv.answered_at is not None or services.is_over(inv.survey, timezone.localdate())
    if request.method == "POST" and not closed:
        values = {k: str(v) for k, v in request.POST.items() if k.startswith("q")}
        try:
            services.answer(token=token, values=values)
        except ValidationFailed as exc:
            error = exc.message
        else:
            return render(request, "surveys/thanks.html", {"survey": inv.survey})
    return render(
        request,
        "surveys/answer.html",
        {
            "inv": inv,
            "survey": inv.survey,
            "questions": list(inv.survey.questions.all()),
            "error": error,
            "values": values,
            "closed": closed,
            "scores": ["1", "2", "3", "4", "5"],
            "kinds": dict(translated(QuestionKind.choices)),
            "comment_max": services.COMMENT_MAX,
        },
        status=422 if error else 200,
    )
