"""Finding Chinese left in an English page (issue 9 #17): every run of CJK ideographs on the
page that is not user data. User data are the texts stored in the database (names,
descriptions, configured categories…): a run counts as data when some stored text has exactly
that run between non-ideographs (or the page shows it truncated, followed by "…")."""

from __future__ import annotations

import re

from django.apps import apps
from django.db import models

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def stored_runs() -> set[str]:
    """Every ideograph run in every text column of every table."""
    runs: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for value in row:
                if value:
                    runs.update(HAN.findall(str(value)))
    return runs


def untranslated(text: str, data: set[str]) -> list[str]:
    """The ideograph runs in ``text`` that are not stored data."""
    found = []
    for match in HAN.finditer(text):
        run = match.group()
        if run in data:
            continue
        truncated = text[match.end() : match.end() + 1] in ("…", ".")
        if truncated and any(d.startswith(run) for d in data):
            continue
        found.append(run)
    return found
