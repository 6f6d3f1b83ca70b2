"""Every model's choice labels have an English text in the catalogue (issue 9 #17): the labels
are their own msgids (``core.i18n``), so a label missing from ``django.po`` shows Chinese on an
English page — in filters, tables and exports of every app, present and future."""

from __future__ import annotations

import re

from django.apps import apps
from django.utils import translation

HAN = re.compile(r"[\u4e00-\u9fff]")


def _labels() -> set[str]:
    found: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("aftersales."):
            continue
        for field in model._meta.concrete_fields:
            for _value, label in field.choices or ():
                text = (
                    label._args[0] if hasattr(label, "_args") else label
                )  # the msgid of a lazy label
                if isinstance(text, str) and HAN.search(text):
                    found.add(text)
    return found


def test_every_choice_label_has_english() -> None:
    labels = _labels()
    assert len(labels) > 100  # the walk really saw every app's choices
    with translation.override("en"):
        missing = sorted(label for label in labels if translation.gettext(label) == label)
    assert not missing, f"choice labels without English in django.po: {missing}"
