"""Base of every API input schema: limits that come from the columns, not from each endpoint.

A subclass of ``In`` (or ``InFilter`` for query filters) gets, for each field that does not
set its own:

- ``str``: ``max_length`` of the column of that name on ``model`` (the class's ``columns_of``
  ClassVar, one model or a tuple), else of the referenced column for names such as
  ``part_code``, else ``DEFAULT_TEXT_MAX``; text columns without a length get
  ``FREE_TEXT_MAX``;
- ``int``: the PostgreSQL ``integer`` range;
- ``datetime``: must carry a time zone (``2026-11-23T09:00+08:00``).

An explicit ``Field(max_length=…)`` longer than the column is cut to the column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any, ClassVar

import annotated_types as at
from django.db import models
from ninja import FilterSchema, Schema
from pydantic import StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from aftersales.core import limits


def _is(annotation: Any, kind: type) -> bool:
    if annotation is kind:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return len(args) == 1 and args[0] is kind
    return False


def column_of(model: Any, name: str) -> int | None:
    """The column's length on the first of the schema's models that has it, else the
    length of a known reference column (``part_code``)."""
    models_ = model if isinstance(model, tuple) else (model,) if model else ()
    for m in models_:
        limit = limits.column_limit(m, name)
        if limit is not None:
            return limit
    return limits.reference_limit(name)


def declared_max_length(metadata: list[Any]) -> int | None:
    for m in metadata:
        if isinstance(m, at.MaxLen):
            return int(m.max_length)
        if isinstance(m, StringConstraints) and m.max_length is not None:
            return int(m.max_length)
    return None


def _shorten(m: Any, length: int) -> Any:
    if isinstance(m, at.MaxLen):
        return at.MaxLen(length)
    if isinstance(m, StringConstraints) and m.max_length is not None:
        return dataclasses.replace(m, max_length=length)
    return m


def apply_limits(cls: Any) -> bool:
    """Add the missing limits to ``cls``'s fields; true when a field changed."""
    model = getattr(cls, "columns_of", None)
    changed = False
    for name, field in cls.model_fields.items():
        meta = field.metadata
        if _is(field.annotation, str):
            column = column_of(model, field.alias or name)
            declared = declared_max_length(meta)
            if declared is None:
                meta.append(at.MaxLen(column or limits.DEFAULT_TEXT_MAX))
                changed = True
            elif column is not None and declared > column:  # never longer than the column
                meta[:] = [_shorten(m, column) for m in meta]
                changed = True
        elif _is(field.annotation, int) and not any(isinstance(m, at.Le | at.Lt) for m in meta):
            meta.append(at.Le(limits.INT_MAX))
            if not any(isinstance(m, at.Ge | at.Gt) for m in meta):
                meta.append(at.Ge(limits.INT_MIN))
            changed = True
    return changed


class _Limited:
    # The model (or models, first match wins) whose columns the fields are written to.
    columns_of: ClassVar[type[models.Model] | tuple[type[models.Model], ...] | None] = None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)  # type: ignore[misc]
        if apply_limits(cls):
            cls.model_rebuild(force=True)  # type: ignore[attr-defined]

    @field_validator("*", mode="after")
    @classmethod
    def _aware_times(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            raise PydanticCustomError(
                "timezone_required", "时间须带时区（如 2026-11-23T09:00+08:00）"
            )
        return value


class In(_Limited, Schema):
    """Base of every API request body."""


class InFilter(_Limited, FilterSchema):
    """Base of every API list filter (query parameters)."""
