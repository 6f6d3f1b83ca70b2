"""Typed CRUD endpoints for master and reference data, built once for every such model.

Each model still declares its own input and output schemas and filters; this module wires
them to the visibility-aware selectors and the audited generic services. (No
``from __future__ import annotations`` here: ninja reads the annotations at definition time.)
"""

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import model_validator

from aftersales.core import audit, services
from aftersales.core.limits import INT_MAX, PAGE_MAX
from aftersales.core.models import AuditEvent
from aftersales.core.said import Said
from aftersales.core.schemas import In
from aftersales.core.visibility import get_visible, visible


class ObjectIn(In):
    """A JSON body that must be an object: with every field optional, ninja would otherwise
    accept ``[]``, ``"x"`` or ``5`` as "all defaults"."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        body = getattr(data, "_obj", data)  # ninja hands the body over in a DjangoGetter
        if not isinstance(body, dict):
            raise ValueError("请求体应为 JSON 对象")
        return data


class ArchiveIn(ObjectIn):
    columns_of = AuditEvent
    reason: str = ""


class AuditOut(Schema):
    at: dt.datetime
    action: str
    verb: str
    actor: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    from_state: str
    to_state: str
    reason: str

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor_repr)


class Page(PageNumberPagination):
    """Page numbers from 1 to ``PAGE_MAX``; page sizes above 200 are served as 200."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX)
        page_size: int = Field(20, ge=1, le=INT_MAX)

    def paginate_queryset(self, queryset: Any, pagination: Any, **params: Any) -> Any:
        pagination.page_size = max(1, min(int(pagination.page_size or 20), 200))
        self.page_size = pagination.page_size
        return super().paginate_queryset(queryset, pagination, **params)


class CappedPage(Page):
    """Pages without an exact total past ``CAP`` rows: counting a million rows for every
    first page is what makes a big queue slow. ``count`` is then ``CAP`` and
    ``count_capped`` is true."""

    CAP = 10000

    class Output(Schema):
        items: list[Any]
        count: int
        count_capped: bool

    def paginate_queryset(self, queryset: Any, pagination: Any, **params: Any) -> Any:
        size = max(1, min(int(pagination.page_size or 20), 200))
        page = max(1, int(pagination.page or 1))
        offset = (page - 1) * size
        capped = queryset.order_by()[: self.CAP + 1].count()
        return {
            "items": list(queryset[offset : offset + size]),
            "count": min(capped, self.CAP),
            "count_capped": capped > self.CAP,
        }


SearchField = str | Callable[[str], Q]


def search_q(term: str, fields: Sequence[SearchField]) -> Q:
    """Any of ``fields`` contains the term; a callable entry builds its own condition (e.g.
    a match on related rows through ``Exists``, which adds no duplicate rows)."""
    q = Q()
    for name in fields:
        q |= name(term) if callable(name) else Q(**{f"{name}__icontains": term})
    return q


def register_crud(
    router: Router,
    *,
    model: type[models.Model],
    path: str,
    out: type[Schema],
    create: type[Schema],
    update: type[Schema],
    filters: type[FilterSchema],
    search: Sequence[SearchField],
    prepare: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] = lambda qs: qs,
    after_create: Callable[[Any, Any], object] | None = None,
) -> None:
    """``after_create(obj, actor)``: what the domain adds to a new record, in the creating
    transaction (e.g. a dealer's opening ledger entry)."""
    name = model._meta.model_name
    label = str(model._meta.verbose_name)

    def selector(request: HttpRequest) -> models.QuerySet[Any]:
        return prepare(visible(model, request.user))

    @router.get(
        f"/{path}",
        response=list[out],
        operation_id=f"{name}_list",
        summary=Said("%(label)s列表", label=label),
    )
    @paginate(Page)
    def list_(
        request: HttpRequest,
        filters: filters = Query(...),  # type: ignore[valid-type]  # noqa: B008
        q: str | None = None,
        include_archived: bool = False,
    ) -> Any:
        qs = selector(request)
        if not include_archived:
            qs = qs.filter(archived_at__isnull=True)
        qs = filters.filter(qs)
        if q:
            qs = qs.filter(search_q(q.strip(), search))
        return qs.order_by(*model._meta.ordering or ["pk"], "pk")

    @router.get(
        f"/{path}/{{int:pk}}",
        response=out,
        operation_id=f"{name}_get",
        summary=Said("%(label)s详情", label=label),
    )
    def get(request: HttpRequest, pk: int) -> Any:
        return get_visible(selector(request), request.user, pk=pk)

    @router.post(
        f"/{path}",
        response={201: out},
        operation_id=f"{name}_create",
        summary=Said("新建%(label)s", label=label),
    )
    def create_(request: HttpRequest, payload: create) -> Any:  # type: ignore[valid-type]
        with transaction.atomic():
            obj = services.create_record(model, actor=request.user, data=payload.dict())
            if after_create is not None:
                after_create(obj, request.user)
        return 201, selector(request).get(pk=obj.pk)

    @router.patch(
        f"/{path}/{{int:pk}}",
        response=out,
        operation_id=f"{name}_update",
        summary=Said("修改%(label)s", label=label),
    )
    def update_(request: HttpRequest, pk: int, payload: update) -> Any:  # type: ignore[valid-type]
        obj = get_visible(model, request.user, pk=pk)
        services.update_record(obj, actor=request.user, changes=payload.dict(exclude_unset=True))
        return selector(request).get(pk=pk)

    @router.post(
        f"/{path}/{{int:pk}}/archive",
        response=out,
        operation_id=f"{name}_archive",
        summary=Said("归档%(label)s", label=label),
    )
    def archive(request: HttpRequest, pk: int, payload: ArchiveIn) -> Any:
        obj = get_visible(model, request.user, pk=pk)
        services.archive_record(obj, actor=request.user, reason=payload.reason)
        return selector(request).get(pk=pk)

    @router.get(
        f"/{path}/{{int:pk}}/history",
        response=list[AuditOut],
        operation_id=f"{name}_history",
        summary=Said("%(label)s变更记录", label=label),
    )
    def history(request: HttpRequest, pk: int) -> Any:
        obj = get_visible(model, request.user, pk=pk)
        return list(audit.history(obj))
