"""Reads of the knowledge base. The audience rule lives here: company staff see every
state; customer and dealer users see only published cases and articles marked public (the
rest is absent from lists and searches, and 404 on direct access)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from django.db.models import Q, QuerySet

from aftersales.core.errors import NotFound
from aftersales.core.visibility import visible
from aftersales.knowledge.models import Article, Case, Feedback, ReviewState
from aftersales.knowledge.search import engine
from aftersales.service.models import ServiceReport

# the search document's columns: not needed to show a suggestion (kilobytes a row)
SEARCH_DOCUMENT = ("keys_main", "keys_more", "search_text", "search_pinyin", "search_doc")

SUGGESTIONS = 5
MAX_LIMIT = 20


def outside_company(user: Any) -> bool:
    return getattr(user, "org_kind", "company") in ("customer", "dealer")


def _audience(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    qs = visible(qs, user).filter(archived_at__isnull=True)
    if outside_company(user):
        qs = qs.filter(state=ReviewState.PUBLISHED, is_public=True)
    return qs


def scope(
    user: Any, *, category_id: int | None = None, states: tuple[str, ...] = ()
) -> engine.Scope:
    """What the search may return to ``user``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return engine.Scope(states=(), category_id=category_id)
    if outside_company(user):
        return engine.Scope(
            states=(ReviewState.PUBLISHED,), public_only=True, category_id=category_id
        )
    return engine.Scope(states=states or (ReviewState.PUBLISHED,), category_id=category_id)


@dataclass
class CaseFilters:
    state: str | None = None
    category_id: int | None = None
    q: str | None = None


def case_list(user: Any, f: CaseFilters) -> QuerySet[Case]:
    qs = _audience(Case.objects.all(), user)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.category_id:
        qs = qs.filter(category_id=f.category_id)
    if f.q and f.q.strip():
        term = f.q.strip()[:100]
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(phenomenon__icontains=term)
            | Q(codes__icontains=term)
            | Q(external_id=term)
        )
    return qs.select_related("category", "product_model", "author").order_by("-updated_at", "-id")


def case_detail(user: Any, pk: int) -> Case:
    qs = _audience(Case.objects.all(), user).select_related(
        "category", "product_model", "author", "reviewed_by", "source_ticket", "source_report"
    )
    found = qs.prefetch_related("attachments").filter(pk=pk).first()
    if found is None:
        raise NotFound("案例不存在或无权查看")
    return found


def article_list(user: Any, *, state: str | None = None, q: str | None = None) -> QuerySet[Article]:
    qs = _audience(Article.objects.all(), user)
    if state:
        qs = qs.filter(state=state)
    if q and q.strip():
        term = q.strip()[:100]
        qs = qs.filter(Q(title__icontains=term) | Q(body__icontains=term))
    return qs.select_related("category", "author").order_by("-updated_at", "-id")


def article_detail(user: Any, pk: int) -> Article:
    found = (
        _audience(Article.objects.all(), user)
        .select_related("category", "author")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("文章不存在或无权查看")
    return found


@dataclass(frozen=True)
class SuggestedCase:
    """What a suggestion shows of a case (read as plain values: building five ``Case``
    instances with their category and model took more than the query itself)."""

    pk: int
    external_id: str
    title: str
    category_id: int
    category_name: str
    product_model_id: int | None
    product_model_code: str | None
    phenomenon: str
    cause: str
    solution: str
    solved_count: int


SUGGESTED = tuple(f.name for f in dataclass_fields(SuggestedCase))
_SUGGESTED_COLUMNS = {
    "pk": "pk",
    "category_name": "category__name",
    "product_model_code": "product_model__code",
}


@dataclass
class Suggestion:
    case: SuggestedCase
    score: float


def similar_cases(
    user: Any,
    text: str,
    *,
    category_id: int | None = None,
    limit: int = SUGGESTIONS,
    ticket_id: int | None = None,
) -> list[Suggestion]:
    """The published cases most like ``text`` that ``user`` may see, best first; for a
    ticket, its own 「不相关」/「解决了」 verdicts move the cases down or up."""
    limit = max(1, min(int(limit or SUGGESTIONS), MAX_LIMIT))
    sc = scope(user, category_id=category_id)
    if not sc.states or not (text or "").strip():
        return []
    verdicts: dict[int, str] = {}
    if ticket_id is not None:
        verdicts = dict(
            Feedback.objects.filter(ticket_id=ticket_id).values_list("case_id", "verdict")
        )
    hits = engine.search(text, scope=sc, limit=limit, feedback=verdicts)
    if not hits:
        return []
    columns = [_SUGGESTED_COLUMNS.get(name, name) for name in SUGGESTED]
    rows = Case.objects.filter(pk__in=[h.id for h in hits]).values_list(*columns)
    cases = {row[0]: SuggestedCase(*row) for row in rows}
    return [Suggestion(cases[h.id], h.score) for h in hits if h.id in cases]


def similar_articles(user: Any, text: str, *, limit: int = SUGGESTIONS) -> list[Article]:
    sc = scope(user)
    if not sc.states or not (text or "").strip():
        return []
    hits = engine.search(text, scope=sc, table="knowledge_article", limit=limit)
    found = Article.objects.defer(*SEARCH_DOCUMENT).in_bulk([h.id for h in hits])
    return [found[h.id] for h in hits if h.id in found]


def report_for_case(user: Any, report_id: int) -> ServiceReport:
    qs = ServiceReport.objects.select_related(
        "ticket__equipment__model__category", "ticket__customer"
    )
    found = visible(qs, user).filter(pk=report_id).first()
    if found is None:
        raise NotFound("服务报告不存在或无权查看")
    return found
