"""The vocabulary the search runs with: the segmenter with the domain dictionary, the
synonym groups and the product model codes — read from the admin-edited rows, kept in a
``TimedCache`` (dropped on every edit in this process, at most ``SECONDS`` old elsewhere)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from aftersales.core.cache import TimedCache
from aftersales.installed_base.models import ProductModel
from aftersales.knowledge.models import DictionaryWord, SynonymGroup
from aftersales.knowledge.search import text as tx

SECONDS = 60.0
WORD_FREQ = 200000  # strong enough that a dictionary word is never split


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    category_id: int | None
    terms: tuple[str, ...]
    phrases: tuple[str, ...]  # padded fuzzy pinyin of each term
    keys: tuple[str, ...]  # the terms' own keys, to widen the candidate query


@dataclass(frozen=True)
class Vocabulary:
    segmenter: Any
    groups: tuple[Group, ...]
    models: tuple[tuple[int, str, int], ...]  # (product model id, code key, category id)

    def segment(self, text: str) -> list[str]:
        return list(self.segmenter.cut(text))


class _Segmenters:
    """One rjieba instance per process (loading the base dictionary takes a second): new
    words are added to it; a removed word makes a fresh instance."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jieba: Any = None
        self._words: set[str] = set()

    def with_words(self, words: set[str]) -> Any:
        import rjieba

        with self._lock:
            if self._jieba is None or self._words - words:
                self._jieba = rjieba.Jieba()
                self._words = set()
            for w in sorted(words - self._words):
                self._jieba.add_word(w, WORD_FREQ, None)
            self._words |= words
            return self._jieba


_segmenters = _Segmenters()
_cache: TimedCache[Vocabulary] = TimedCache(
    DictionaryWord, SynonymGroup, ProductModel, seconds=SECONDS
)


def _load() -> Vocabulary:
    dictionary = set(DictionaryWord.objects.active().values_list("word", flat=True))
    rows = list(SynonymGroup.objects.active().order_by("id"))
    terms = {t for g in rows for t in g.term_list() if tx.HAN_RUN.fullmatch(t)}
    segmenter = _segmenters.with_words({w for w in dictionary | terms if w.strip()})
    groups = []
    for g in rows:
        ts = tuple(dict.fromkeys(g.term_list()))
        if not ts:
            continue
        own: list[str] = []
        for t in ts:
            own += [k for k in tx.keys(t, segmenter.cut) if k not in own]
        groups.append(
            Group(
                id=g.pk,
                name=g.name,
                category_id=g.category_id,
                terms=ts,
                phrases=tuple(dict.fromkeys(tx.phrase(t) for t in ts if tx.HAN_RUN.search(t))),
                keys=tuple(own),
            )
        )
    models = tuple(
        (pk, tx._code_key(code), cat)
        for pk, code, cat in ProductModel.objects.active().values_list("pk", "code", "category_id")
    )
    return Vocabulary(segmenter=segmenter, groups=tuple(groups), models=models)


def current() -> Vocabulary:
    return _cache.get("vocabulary", _load)


def clear() -> None:
    _cache.clear()


WARM_TEXT = "空调不制冷，外机显示E4，吹出来的风不凉 CL-WSC-500"


def warm_up() -> float:
    """Pay what the first suggestion of a fresh process would pay — rjieba's base
    dictionary and the domain words added to it, pypinyin's dictionaries, the synonym groups'
    keys and phrases, the product model codes — once at worker start (``aftersales.wsgi``),
    not in an agent's request (it took ~12 s under load). Returns the seconds it took."""
    from aftersales.knowledge.search import engine  # the engine imports this module

    started = time.perf_counter()
    vocab = current()
    engine.analyse(WARM_TEXT, vocab)
    return time.perf_counter() - started
