"""Chinese text helpers: pinyin initials for search, word segmentation."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=20000)
def initials(text: str) -> str:
    """``"上海华建"`` → ``"shhj"``: first letters of the pinyin, letters and digits kept."""
    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(p[:1] for p in "".join(parts).lower() if p.isalnum())[:50]


def tokens(text: str) -> list[str]:
    """Words of a Chinese text (rjieba), for search and similarity."""
    import rjieba

    return [t for t in rjieba.cut(text) if t.strip()]


# Bidirectional-text controls (LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM): invisible
# characters that reorder what is displayed, so "RLO" makes a name or code read differently
# from what is stored (U+202E "‮gpj.exe" shows as "exe.jpg"). Rejected in identifiers and names.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
BIDI_MESSAGE = "不能包含文字方向控制字符（如 U+202E）"
IDENTIFIER_FIELDS = frozenset(
    {"code", "name", "number", "serial_no", "username", "display_name", "first_name", "last_name"}
)


def has_bidi_control(value: object) -> bool:
    return isinstance(value, str) and not BIDI_CONTROLS.isdisjoint(value)


def is_identifier_or_name(field_name: str) -> bool:
    """Field names that hold an identifier or a name (``code``, ``name``, ``contact_name``,
    ``part_code``, ``serial_no`` …)."""
    return field_name in IDENTIFIER_FIELDS or field_name.endswith(("_name", "_code", "_no"))


def reject_bidi_controls(value: object) -> None:
    """The one validator: raises Django's ``ValidationError`` (code ``bidi_control``)."""
    if has_bidi_control(value):
        from django.core.exceptions import ValidationError

        raise ValidationError(BIDI_MESSAGE, code="bidi_control")


def bidi_field_errors(instance: object, exclude: object = None) -> dict[str, list[object]]:
    """Per-field errors of a model instance's identifier and name fields (for clean_fields)."""
    from django.core.exceptions import ValidationError
    from django.db import models

    skip = set(exclude or ())  # type: ignore[call-overload]
    errors: dict[str, list[object]] = {}
    for field in instance._meta.concrete_fields:  # type: ignore[attr-defined]
        if not isinstance(field, models.CharField) or field.name in skip:
            continue
        if is_identifier_or_name(field.name):
            try:
                reject_bidi_controls(getattr(instance, field.attname))
            except ValidationError as exc:
                errors[field.name] = list(exc.error_list)
    return errors
