"""What the approval engine and the deadlines need from a document: its type, id, number,
summary and page link, and the people who hold a role."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models


def content_type(document: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(document, for_concrete_model=True)


def type_label(document: models.Model) -> str:
    return document._meta.label_lower


def number(document: models.Model) -> str:
    return str(getattr(document, "number", "") or document.pk)


def link(document: models.Model) -> str:
    get_url = getattr(document, "get_absolute_url", None)
    return str(get_url()) if callable(get_url) else ""


def load(ct: ContentType, object_id: int) -> Any:
    model = ct.model_class()
    assert model is not None
    return model._default_manager.get(pk=object_id)


def users_with_roles(roles: Iterable[str], *, department_id: int | None = None) -> list[Any]:
    """Active company users holding any of ``roles`` (all company users when empty), in
    ``department_id`` when given."""
    from aftersales.accounts.roles import ROLE_BY_CODE

    qs = get_user_model().objects.filter(is_active=True, org_kind="company")
    names = [ROLE_BY_CODE[r].name for r in roles if r in ROLE_BY_CODE]
    if names:
        qs = qs.filter(groups__name__in=names)
    elif not department_id:
        return []
    if department_id:
        qs = qs.filter(department_id=department_id)
    return list(qs.distinct().order_by("pk"))
