"""Choice labels in the user's language (issue 9 #17).

Models write their choices in Chinese, plain strings (``State.OPEN = "open", "已登记"``). At
start-up every model field's choice labels are wrapped in ``gettext_lazy``: the label is its
own msgid, so ``get_FOO_display()``, forms and filters show the English text of
``locale/en/LC_MESSAGES/django.po`` to an English user and the Chinese text otherwise. One
place for every app, so a new app's choices need only their msgids appended to the .po.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


def _lazy(label: Any) -> Any:
    return gettext_lazy(label) if isinstance(label, str) else label


def _translated(choices: Any) -> list[Any]:
    out: list[Any] = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):  # a named group of choices
            out.append((_lazy(value), [(v, _lazy(sub)) for v, sub in label]))
        else:
            out.append((value, _lazy(label)))
    return out


def translated(choices: Any) -> list[tuple[Any, Any]]:
    """An enum's ``.choices`` for a page (filters, selects): labels in the user's language.
    The enum members themselves keep their Chinese labels — services write them into
    stored texts and messages, which must not depend on who happened to be signed in."""
    return [(value, _lazy(label)) for value, label in choices]


def translate_choice_labels() -> int:
    """Wrap the choice labels and the names of every model field (``get_FOO_display()``,
    model forms, field errors) and every model's name; returns how many fields had choices
    changed."""
    changed = 0
    for model in apps.get_models():
        meta = model._meta
        for attr in ("verbose_name", "verbose_name_plural"):
            name = getattr(meta, attr, None)
            if isinstance(name, str):
                setattr(meta, attr, gettext_lazy(name))
        for field in meta.get_fields():
            name = getattr(field, "verbose_name", None)
            if isinstance(name, str):
                setattr(field, "verbose_name", gettext_lazy(name))  # noqa: B010
        for field in meta.concrete_fields:
            choices = field.choices
            if not choices or not isinstance(choices, (list, tuple)):
                continue
            if all(isinstance(label, Promise) for _value, label in choices):
                continue
            field.choices = _translated(choices)
            changed += 1
    return changed
