"""Input and output schemas of the knowledge-base API (every text capped at its column)."""

import datetime as dt

from ninja import Field, Schema

from aftersales.core.schemas import In
from aftersales.knowledge.models import Article, Case, Feedback


class CaseIn(In):
    columns_of = Case
    category_id: int
    title: str = Field(..., max_length=200)
    phenomenon: str = Field(..., max_length=4000)
    cause: str = Field("", max_length=4000)
    solution: str = Field("", max_length=4000)
    codes: str = Field("", max_length=200)
    product_model_id: int | None = None
    is_public: bool = False
    external_id: str = Field("", max_length=100)
    source_report_id: int | None = None


class CasePatch(In):
    columns_of = Case
    category_id: int | None = None
    title: str | None = Field(None, max_length=200)
    phenomenon: str | None = Field(None, max_length=4000)
    cause: str | None = Field(None, max_length=4000)
    solution: str | None = Field(None, max_length=4000)
    codes: str | None = Field(None, max_length=200)
    product_model_id: int | None = None
    is_public: bool | None = None
    external_id: str | None = Field(None, max_length=100)


class KnowledgeMoveIn(In):
    action: str = Field(
        ...,
        max_length=20,
        description="review 审核 / publish 发布 / retire 停用 / redraft 退回草稿",
    )
    reason: str = Field("", max_length=500)


class CaseOut(Schema):
    id: int
    external_id: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    is_public: bool
    category_id: int
    category: str = Field(..., alias="category.name")
    product_model_id: int | None
    title: str
    phenomenon: str
    cause: str
    solution: str
    codes: str
    source_ticket_id: int | None
    source_report_id: int | None
    author_id: int | None
    solved_count: int
    not_relevant_count: int
    published_at: dt.datetime | None
    updated_at: dt.datetime


class SimilarOut(Schema):
    id: int
    external_id: str
    score: float
    title: str
    category_id: int
    product_model_id: int | None
    phenomenon: str
    cause: str
    solution: str


class FeedbackIn(In):
    columns_of = Feedback
    verdict: str = Field(..., max_length=15, description="solved 解决了 / not_relevant 不相关")
    ticket_id: int | None = None
    query: str = Field("", max_length=500)


class FeedbackOut(Schema):
    id: int
    case_id: int
    verdict: str
    ticket_id: int | None


class ArticleIn(In):
    columns_of = Article
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=20000)
    kind: str = Field("howto", max_length=12)
    category_id: int | None = None
    is_public: bool = False
    external_id: str = Field("", max_length=100)
    source_case_id: int | None = None


class ArticlePatch(In):
    columns_of = Article
    title: str | None = Field(None, max_length=200)
    body: str | None = Field(None, max_length=20000)
    kind: str | None = Field(None, max_length=12)
    category_id: int | None = None
    is_public: bool | None = None
    external_id: str | None = Field(None, max_length=100)
    source_case_id: int | None = None


class ArticleOut(Schema):
    id: int
    external_id: str
    kind: str
    state: str
    is_public: bool
    category_id: int | None
    title: str
    body: str
    source_case_id: int | None
    updated_at: dt.datetime
