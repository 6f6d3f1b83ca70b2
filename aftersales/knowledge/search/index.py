"""The search document of a case or an article, built from its text with the current
vocabulary: key arrays (the GIN-indexed ``tsvector`` is generated from them in SQL), the
normalised text (trigram similarity) and the pinyin lines (synonym phrases, typos)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aftersales.knowledge.search import text as tx
from aftersales.knowledge.search.vocabulary import Vocabulary, current

MAX_KEYS = 400


@dataclass(frozen=True)
class Document:
    keys_main: list[str]
    keys_more: list[str]
    search_text: str
    search_pinyin: str  # "<main line> # <more line>"

    def as_fields(self) -> dict[str, Any]:
        return {
            "keys_main": self.keys_main,
            "keys_more": self.keys_more,
            "search_text": self.search_text,
            "search_pinyin": self.search_pinyin,
        }


def build(main: str, more: str, vocab: Vocabulary | None = None) -> Document:
    vocab = vocab or current()
    km = tx.keys(main, vocab.segment)[:MAX_KEYS]
    seen = set(km)
    kx = [k for k in tx.keys(more, vocab.segment) if k not in seen][:MAX_KEYS]
    return Document(
        keys_main=km,
        keys_more=kx,
        search_text=tx.normalize(main)[:2000],
        search_pinyin=f"{tx.pinyin_line(main)}#{tx.pinyin_line(more)}",
    )


def case_texts(case: Any) -> tuple[str, str]:
    model = case.product_model.code if case.product_model_id else ""
    main = " ".join(x for x in (case.title, case.phenomenon, case.codes, model) if x)
    more = " ".join(x for x in (case.cause, case.solution) if x)
    return main, more


def article_texts(article: Any) -> tuple[str, str]:
    return article.title, article.body


def for_case(case: Any, vocab: Vocabulary | None = None) -> Document:
    return build(*case_texts(case), vocab=vocab)


def for_article(article: Any, vocab: Vocabulary | None = None) -> Document:
    return build(*article_texts(article), vocab=vocab)
