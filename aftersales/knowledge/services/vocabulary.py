"""Seeding the search vocabulary (``defaults``) through the generic audited create."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from aftersales.core.services import create_record
from aftersales.installed_base.models import ProductCategory
from aftersales.knowledge import defaults
from aftersales.knowledge.models import DictionaryWord, SynonymGroup


@transaction.atomic
def vocabulary_seed(*, actor: Any = None) -> dict[str, int]:
    """The default synonym groups and dictionary words of every category that exists (and
    the general ones); rows already there (same name / word) are left as they are."""
    made = {"synonyms": 0, "words": 0}
    categories: list[tuple[str, ProductCategory | None]] = [("", None)]
    categories += [(c.code, c) for c in ProductCategory.objects.active().order_by("code")]
    for code, cat in categories:
        for name, terms in defaults.synonym_rows(code):
            if SynonymGroup.objects.filter(name=name, category=cat).exists():
                continue
            create_record(
                SynonymGroup,
                actor=actor,
                data={"name": name, "category": cat, "terms": terms},
                check=False,
            )
            made["synonyms"] += 1
        existing = set(DictionaryWord.objects.values_list("word", flat=True))
        for word in defaults.word_rows(code):
            if word in existing:
                continue
            create_record(
                DictionaryWord,
                actor=actor,
                data={"word": word, "category": cat, "kind": "term"},
                check=False,
            )
            existing.add(word)
            made["words"] += 1
    return made
