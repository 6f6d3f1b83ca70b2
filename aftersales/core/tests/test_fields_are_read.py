"""Every model field is read by some code path (10: a field an administrator can fill in
that nothing reads is a defect). Grep-able: a field's name must occur in the application's
code or templates other than its own definition, migrations and tests. Purely descriptive
fields that only a person reads (in the back office) are allowed below, each with its reason.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]  # the aftersales package

# label.field: why it is kept although no code reads it
DESCRIPTIVE: dict[str, str] = {
    "accounts.user.last_login": "Django's own: set by django.contrib.auth at login, shown in the "
    "back office's user list",
    "accounts.user.date_joined": "Django's own: set when the account is created, shown in the back "
    "office's user page",
    "service.reportphoto.uploaded_at": "evidence: when a site photo reached the system, kept for "
    "disputes and read by people in the back office only",
}


def _corpus() -> str:
    parts = []
    for path in ROOT.rglob("*"):
        if path.suffix not in (".py", ".html", ".js", ".txt"):
            continue
        rel = path.relative_to(ROOT).parts
        if "migrations" in rel or "tests" in rel:
            continue
        parts.append(path.read_text(encoding="utf-8", errors="ignore"))
    return "\n".join(parts)


_DEFINITION = re.compile(r"^\s*(\w+)\s*(?::[^=\n]*)?=\s*(?:models\.|[A-Z]\w*Field\()", re.M)


def test_every_model_field_is_read() -> None:
    corpus = _corpus()
    words = Counter(re.findall(r"\w+", corpus))
    defined = Counter(_DEFINITION.findall(corpus))
    unread = []
    for model in apps.get_models():
        if not model.__module__.startswith("aftersales."):
            continue
        for field in model._meta.get_fields(include_hidden=False):
            if field.auto_created or not getattr(field, "concrete", False):
                continue
            key = f"{model._meta.label_lower}.{field.name}"
            if key in DESCRIPTIVE:
                continue
            if words[field.name] - defined[field.name] <= 0:
                unread.append(key)
    assert unread == [], f"model fields that no code path reads: {unread}"


def test_the_allow_list_names_real_fields_with_reasons() -> None:
    for key, reason in DESCRIPTIVE.items():
        label, _, name = key.rpartition(".")
        model = apps.get_model(label)
        assert model._meta.get_field(name) and len(reason) > 10
