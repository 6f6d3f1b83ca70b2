"""Reads of the surveys domain, through the user's visibility (surveys are company records:
dealers and customers see none; a customer sees only his own invitation, by its link)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from aftersales.core.errors import NotFound
from aftersales.core.visibility import get_visible, visible
from aftersales.surveys.models import Survey


def survey_list(user: Any) -> QuerySet[Survey]:
    return (
        visible(Survey, user)
        .filter(archived_at__isnull=True)
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count(
                "invitations", filter=Q(invitations__answered_at__isnull=False), distinct=True
            ),
            question_count=Count("questions", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def survey_detail(user: Any, pk: int) -> Survey:
    try:
        found: Survey = get_visible(Survey.objects.prefetch_related("questions"), user, pk=pk)
    except NotFound as exc:
        raise NotFound("满意度调查不存在或无权查看") from exc
    return found
