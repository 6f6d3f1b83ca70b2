"""REST API of the knowledge base: cases and articles (CRUD through the services, reads
through the selectors: a customer or dealer gets 404 for anything not published and public)
and ``GET /kb/similar``."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from aftersales.core.crud import Page
from aftersales.knowledge import selectors
from aftersales.knowledge.api_schemas import (
    ArticleIn,
    ArticleOut,
    ArticlePatch,
    CaseIn,
    CaseOut,
    CasePatch,
    FeedbackIn,
    FeedbackOut,
    KnowledgeMoveIn,
    SimilarOut,
)
from aftersales.knowledge.services import entries, feedback

router = Router(tags=["知识库"])


@router.get("/kb/similar", response=list[SimilarOut], summary="相似案例（按描述推荐）")
def similar(
    request: HttpRequest,
    text: str = Query(..., max_length=500),
    category: int | None = None,
    limit: int = 5,
    ticket_id: int | None = None,
) -> Any:
    found = selectors.similar_cases(
        request.user, text, category_id=category, limit=limit, ticket_id=ticket_id
    )
    return [
        {
            "id": s.case.pk,
            "external_id": s.case.external_id,
            "score": s.score,
            "title": s.case.title,
            "category_id": s.case.category_id,
            "product_model_id": s.case.product_model_id,
            "phenomenon": s.case.phenomenon,
            "cause": s.case.cause,
            "solution": s.case.solution,
        }
        for s in found
    ]


@router.get("/kb/cases", response=list[CaseOut], summary="案例列表")
@paginate(Page)
def list_cases(
    request: HttpRequest,
    state: str | None = Query(None, max_length=12),
    category_id: int | None = None,
    q: str | None = Query(None, max_length=100),
) -> Any:
    return selectors.case_list(
        request.user, selectors.CaseFilters(state=state, category_id=category_id, q=q)
    )


@router.post("/kb/cases", response={201: CaseOut}, summary="新建案例（草稿）")
def create_case(request: HttpRequest, payload: CaseIn) -> Any:
    case = entries.case_create(actor=request.user, data=entries.CaseInput(**payload.dict()))
    return 201, selectors.case_detail(request.user, case.pk)


@router.get("/kb/cases/{int:pk}", response=CaseOut, summary="案例详情")
def get_case(request: HttpRequest, pk: int) -> Any:
    return selectors.case_detail(request.user, pk)


@router.patch("/kb/cases/{int:pk}", response=CaseOut, summary="修改案例")
def update_case(request: HttpRequest, pk: int, payload: CasePatch) -> Any:
    case = selectors.case_detail(request.user, pk)
    changes = payload.dict(exclude_unset=True)
    entries.case_update(actor=request.user, case=case, data=entries.case_input(case, **changes))
    return selectors.case_detail(request.user, pk)


@router.post("/kb/cases/{int:pk}/move", response=CaseOut, summary="审核 / 发布 / 停用 / 退回草稿")
def move_case(request: HttpRequest, pk: int, payload: KnowledgeMoveIn) -> Any:
    case = selectors.case_detail(request.user, pk)
    entries.case_move(actor=request.user, case=case, action=payload.action, reason=payload.reason)
    return selectors.case_detail(request.user, pk)


@router.delete("/kb/cases/{int:pk}", response=CaseOut, summary="停用案例（不删除）")
def retire_case(request: HttpRequest, pk: int) -> Any:
    case = selectors.case_detail(request.user, pk)
    entries.case_move(actor=request.user, case=case, action="retire")
    return selectors.case_detail(request.user, pk)


@router.post(
    "/kb/cases/{int:pk}/feedback", response={201: FeedbackOut}, summary="反馈：解决了 / 不相关"
)
def case_feedback(request: HttpRequest, pk: int, payload: FeedbackIn) -> Any:
    case = selectors.case_detail(request.user, pk)
    return 201, feedback.feedback_record(actor=request.user, case=case, **payload.dict())


@router.get("/kb/articles", response=list[ArticleOut], summary="文章列表")
@paginate(Page)
def list_articles(
    request: HttpRequest,
    state: str | None = Query(None, max_length=12),
    q: str | None = Query(None, max_length=100),
) -> Any:
    return selectors.article_list(request.user, state=state, q=q)


@router.post("/kb/articles", response={201: ArticleOut}, summary="新建文章（草稿）")
def create_article(request: HttpRequest, payload: ArticleIn) -> Any:
    art = entries.article_create(actor=request.user, data=entries.ArticleInput(**payload.dict()))
    return 201, selectors.article_detail(request.user, art.pk)


@router.get("/kb/articles/{int:pk}", response=ArticleOut, summary="文章详情")
def get_article(request: HttpRequest, pk: int) -> Any:
    return selectors.article_detail(request.user, pk)


@router.patch("/kb/articles/{int:pk}", response=ArticleOut, summary="修改文章")
def update_article(request: HttpRequest, pk: int, payload: ArticlePatch) -> Any:
    art = selectors.article_detail(request.user, pk)
    changes = payload.dict(exclude_unset=True)
    entries.article_update(
        actor=request.user, article=art, data=entries.article_input(art, **changes)
    )
    return selectors.article_detail(request.user, pk)


@router.post(
    "/kb/articles/{int:pk}/move", response=ArticleOut, summary="审核 / 发布 / 停用 / 退回草稿"
)
def move_article(request: HttpRequest, pk: int, payload: KnowledgeMoveIn) -> Any:
    art = selectors.article_detail(request.user, pk)
    entries.article_move(
        actor=request.user, article=art, action=payload.action, reason=payload.reason
    )
    return selectors.article_detail(request.user, pk)


@router.delete("/kb/articles/{int:pk}", response=ArticleOut, summary="停用文章（不删除）")
def retire_article(request: HttpRequest, pk: int) -> Any:
    art = selectors.article_detail(request.user, pk)
    entries.article_move(actor=request.user, article=art, action="retire")
    return selectors.article_detail(request.user, pk)
