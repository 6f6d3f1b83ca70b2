"""Last line before the database: text that does not fit its column (or holds a NUL byte)
is refused with a Chinese field error before any row is written, whatever path wrote it
(an API schema, a web form, an import, a service).

Connected to ``pre_save`` of every project model in ``CoreConfig.ready``.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from aftersales.core import limits
from aftersales.core.errors import ValidationFailed
from aftersales.core.said import Said


def check_text(instance: models.Model) -> None:
    opts = instance._meta
    for field in opts.concrete_fields:
        limit = limits.text_limit(field)
        if limit is None:
            continue
        value = getattr(instance, field.attname, None)
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            raise ValidationFailed(
                Said("%(verbose_name)s含有不允许的控制字符", verbose_name=field.verbose_name),
                code="invalid_characters",
                field=field.name,
            )
        if f"{opts.label_lower}.{field.name}" in limits.SYSTEM_TEXT:
            continue
        if len(value) > limit:
            raise ValidationFailed(
                Said(
                    "%(verbose_name)s过长（最多%(limit)s个字符，现有%(value)s个）",
                    verbose_name=field.verbose_name,
                    limit=limit,
                    value=len(value),
                ),
                code="too_long",
                field=field.name,
            )


def on_pre_save(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **_: Any
) -> None:
    if not raw and sender.__module__.startswith("aftersales."):
        check_text(instance)
