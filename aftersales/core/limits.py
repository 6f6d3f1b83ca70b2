"""Input limits, defined once: text lengths from the model columns, caps for free text,
integer ranges that fit PostgreSQL, page numbers.

The API input schemas (``core.schemas.In``), the web forms' ``maxlength`` and the save-time
guard (``core.signals``) all read their numbers here, so a column's length is written once —
on the model field.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.apps import apps
from django.db import models

# Free text (notes, descriptions, comments) without a column length: long enough for a
# thorough report, short enough that a record, its audit row and its history stay small.
FREE_TEXT_MAX = 4000
# A string input that names no column (a search term, a reason passed on to an event).
DEFAULT_TEXT_MAX = 2000
# A signature drawn on the phone, as a PNG data URL.
SIGNATURE_MAX = 2_000_000
# Search terms in lists.
SEARCH_MAX = 100
# PostgreSQL ``integer``: every id and count column.
INT_MAX = 2**31 - 1
INT_MIN = -(2**31)
# Page numbers: past this a list is searched, not paged (keeps OFFSET within bigint).
PAGE_MAX = 100_000

# Text columns written by the system, never from a form: no cap at save time.
SYSTEM_TEXT = frozenset(
    {"notifications.notification.body", "notifications.notification.last_error"}
)


def text_limit(field: models.Field[Any, Any]) -> int | None:
    """The length a value of this column may have: its ``max_length``, or the free-text
    cap for a text column; ``None`` for a column that takes no text."""
    if isinstance(field, models.CharField):
        return field.max_length
    if isinstance(field, models.TextField):
        return field.max_length or FREE_TEXT_MAX
    return None


def column_limit(model: type[models.Model], name: str) -> int | None:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None
    return text_limit(field) if isinstance(field, models.Field) else None


# Inputs that name another record by its code: the code column's length.
REFERENCES = {
    "part_code": ("catalog", "Part", "code"),
    "component_code": ("installed_base", "EquipmentComponent", "code"),
    "customer_code": ("customers", "Customer", "code"),
    "site_code": ("customers", "Site", "code"),
    "serial_no": ("installed_base", "Equipment", "serial_no"),
}


@cache
def reference_limit(name: str) -> int | None:
    ref = REFERENCES.get(name)
    if ref is None:
        return None
    try:
        model = apps.get_model(ref[0], ref[1])
    except LookupError:
        return None
    return column_limit(model, ref[2])
