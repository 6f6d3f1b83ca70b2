"""A document's timeline: its own audit events, oldest first."""

from __future__ import annotations

from typing import Any

from django.db import models

from aftersales.core import audit


def events(document: models.Model) -> list[Any]:
    return list(audit.history(document).order_by("at", "id"))
