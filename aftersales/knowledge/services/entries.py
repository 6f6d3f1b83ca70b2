"""Writing cases and articles: create, edit, move through the review flow. Each function is
atomic, checks the actor, writes the audit row and keeps the search document current."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils import timezone

from aftersales.approvals import workflow
from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible
from aftersales.installed_base.models import ProductCategory, ProductModel
from aftersales.knowledge.models import Article, ArticleKind, Case, ReviewState
from aftersales.knowledge.services import index
from aftersales.knowledge.transitions import AUTHORS, EDITORS, REVIEW
from aftersales.service.models import ServiceReport, TicketState

RESOLVED_TICKET_STATES = frozenset({TicketState.RESOLVED, TicketState.CLOSED})


@dataclass
class CaseInput:
    category_id: int | None
    title: str
    phenomenon: str
    cause: str = ""
    solution: str = ""
    codes: str = ""
    product_model_id: int | None = None
    is_public: bool = False
    external_id: str = ""
    source_report_id: int | None = None


@dataclass
class ArticleInput:
    title: str
    body: str
    kind: str = ArticleKind.HOWTO
    category_id: int | None = None
    is_public: bool = False
    external_id: str = ""
    source_case_id: int | None = None


def _text(value: Any, field: str, label: str, max_length: int, required: bool = False) -> str:
    out = str(value or "").strip()
    if required and not out:
        raise ValidationFailed(Said("请填写%(label)s", label=label), field=field)
    if len(out) > max_length:
        raise ValidationFailed(
            Said("%(label)s不能超过%(max_length)s字", label=label, max_length=max_length),
            field=field,
        )
    return out


def _category(pk: int | None, *, required: bool) -> ProductCategory | None:
    if pk is None:
        if required:
            raise ValidationFailed("请选择产品类别", field="category_id")
        return None
    found = ProductCategory.objects.active().filter(pk=pk).first()
    if found is None:
        raise NotFound("产品类别不存在", field="category_id")
    return found


def case_fields(data: CaseInput) -> dict[str, Any]:
    """The checked values of a case (no ORM writes)."""
    category = _category(data.category_id, required=True)
    assert category is not None
    model = None
    if data.product_model_id is not None:
        model = ProductModel.objects.active().filter(pk=data.product_model_id).first()
        if model is None:
            raise NotFound("产品型号不存在", field="product_model_id")
        if model.category_id != category.pk:
            raise ValidationFailed(
                Said("型号「%(code)s」不属于类别「%(name)s」", code=model.code, name=category.name),
                field="product_model_id",
            )
    return {
        "category": category,
        "product_model": model,
        "title": _text(data.title, "title", "标题", 200, required=True),
        "phenomenon": _text(data.phenomenon, "phenomenon", "故障现象", 4000, required=True),
        "cause": _text(data.cause, "cause", "故障原因", 4000),
        "solution": _text(data.solution, "solution", "解决方法", 4000),
        "codes": _text(data.codes, "codes", "故障代码/关键字", 200),
        "is_public": bool(data.is_public),
        "external_id": _text(data.external_id, "external_id", "外部编号", 100),
    }


def _source(actor: Any, report_id: int | None) -> dict[str, Any]:
    if report_id is None:
        return {}
    report = get_visible(ServiceReport.objects.select_related("ticket"), actor, pk=report_id)
    if report.ticket.state not in RESOLVED_TICKET_STATES:
        raise ValidationFailed(
            "只有已解决的报修单的服务报告才能保存为案例", field="source_report_id"
        )
    return {"source_report": report, "source_ticket": report.ticket}


def _save_new(obj: Any) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict("外部编号已存在", field="external_id") from exc


@transaction.atomic
def case_create(*, actor: Any, data: CaseInput, now: dt.datetime | None = None) -> Case:
    workflow.require_role(actor, AUTHORS, "新建案例")
    now = now or timezone.now()
    fields = case_fields(data)
    case = Case(**fields, **_source(actor, data.source_report_id), author=_person(actor))
    case.created_at = now
    _save_new(case)
    index.refresh_case(case, was_published=False)
    audit.record(case, actor=actor, action="create", after=audit.snapshot(case), at=now)
    return case


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _may_edit(actor: Any, obj: Any, what: str) -> None:
    if obj.state == ReviewState.RETIRED:
        raise ValidationFailed(
            Said("已停用的%(what)s不能修改，请先退回草稿", what=what), code="retired"
        )
    if actor is None:
        return
    roles = workflow.actor_roles(actor)
    if roles & EDITORS:
        return
    if roles & AUTHORS and obj.state == ReviewState.DRAFT:
        return
    raise PermissionDenied(Said("只有审核人能修改已审核或已发布的%(what)s", what=what))


@transaction.atomic
def case_update(*, actor: Any, case: Case, data: CaseInput) -> Case:
    case = workflow.lock(Case, case.pk)
    workflow.require_visible(case, actor)
    _may_edit(actor, case, "案例")
    before = audit.snapshot(case)
    for name, value in case_fields(data).items():
        setattr(case, name, value)
    _save_existing(case)
    index.refresh_case(case, was_published=case.state == ReviewState.PUBLISHED)
    old, new = audit.diff(before, audit.snapshot(case))
    if old or new:
        audit.record(case, actor=actor, action="update", before=old, after=new)
    return case


def _save_existing(obj: Any) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict("外部编号已存在", field="external_id") from exc


def _review_fields(action: str, actor: Any, now: dt.datetime) -> dict[str, Any]:
    if action == "review":
        return {"reviewed_by": _person(actor), "reviewed_at": now}
    if action == "publish":
        return {"published_at": now}
    if action == "retire":
        return {"retired_at": now}
    return {}


@transaction.atomic
def case_move(
    *, actor: Any, case: Case, action: str, reason: str = "", now: dt.datetime | None = None
) -> Case:
    """审核 / 发布 / 停用 / 退回草稿 (``transitions.REVIEW``)."""
    if action not in REVIEW:
        raise ValidationFailed(Said("未知操作「%(action)s」", action=action), field="action")
    now = now or timezone.now()
    case = workflow.lock(Case, case.pk)
    was_published = case.state == ReviewState.PUBLISHED
    workflow.move(
        case,
        REVIEW,
        action,
        actor=actor,
        now=now,
        reason=_text(reason, "reason", "原因", 500),
        fields=_review_fields(action, actor, now),
    )
    index.refresh_case(case, was_published=was_published)
    return case


def article_fields(data: ArticleInput) -> dict[str, Any]:
    if data.kind not in ArticleKind.values:
        raise ValidationFailed("文章类型须为操作指导、产品手册或培训资料", field="kind")
    source = None
    if data.source_case_id is not None:
        source = Case.objects.filter(pk=data.source_case_id).first()
        if source is None:
            raise NotFound("来源案例不存在", field="source_case_id")
    return {
        "kind": data.kind,
        "category": _category(data.category_id, required=False),
        "title": _text(data.title, "title", "标题", 200, required=True),
        "body": _text(data.body, "body", "正文", 20000, required=True),
        "is_public": bool(data.is_public),
        "external_id": _text(data.external_id, "external_id", "外部编号", 100),
        "source_case": source,
    }


@transaction.atomic
def article_create(*, actor: Any, data: ArticleInput, now: dt.datetime | None = None) -> Article:
    workflow.require_role(actor, AUTHORS, "新建文章")
    now = now or timezone.now()
    article = Article(**article_fields(data), author=_person(actor))
    article.created_at = now
    _save_new(article)
    index.refresh_article(article)
    audit.record(article, actor=actor, action="create", after=audit.snapshot(article), at=now)
    return article


@transaction.atomic
def article_update(*, actor: Any, article: Article, data: ArticleInput) -> Article:
    article = workflow.lock(Article, article.pk)
    _may_edit(actor, article, "文章")
    before = audit.snapshot(article)
    for name, value in article_fields(data).items():
        setattr(article, name, value)
    _save_existing(article)
    index.refresh_article(article)
    old, new = audit.diff(before, audit.snapshot(article))
    if old or new:
        audit.record(article, actor=actor, action="update", before=old, after=new)
    return article


@transaction.atomic
def article_move(
    *, actor: Any, article: Article, action: str, reason: str = "", now: dt.datetime | None = None
) -> Article:
    if action not in REVIEW:
        raise ValidationFailed(Said("未知操作「%(action)s」", action=action), field="action")
    now = now or timezone.now()
    article = workflow.lock(Article, article.pk)
    workflow.move(
        article,
        REVIEW,
        action,
        actor=actor,
        now=now,
        reason=_text(reason, "reason", "原因", 500),
        fields=_review_fields(action, actor, now),
    )
    return article


def _current(cls: Any, obj: Any, changes: dict[str, Any]) -> Any:
    """The current values of ``obj`` as a ``cls`` input, with ``changes`` on top."""
    return cls(**{f.name: getattr(obj, f.name) for f in dataclass_fields(cls)} | changes)


def case_input(case: Case, **changes: Any) -> CaseInput:
    """The current values of ``case`` as an input (for partial edits)."""
    return cast(CaseInput, _current(CaseInput, case, changes))


def article_input(article: Article, **changes: Any) -> ArticleInput:
    return cast(ArticleInput, _current(ArticleInput, article, changes))
