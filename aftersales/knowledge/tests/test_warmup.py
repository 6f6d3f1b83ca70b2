"""The warm-up at worker start (``aftersales.wsgi``): after it, a suggestion finds the
segmenter with the domain dictionary, pypinyin and the vocabulary loaded — no query and no
loading left for the first request."""

from __future__ import annotations

import rjieba
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.knowledge.search import engine, vocabulary
from aftersales.knowledge.search import text as tx


def test_the_warm_up_loads_the_segmenter_pinyin_and_vocabulary(kb, monkeypatch):  # type: ignore[no-untyped-def]
    fresh = vocabulary._Segmenters()  # a fresh worker: nothing loaded yet
    monkeypatch.setattr(vocabulary, "_segmenters", fresh)
    vocabulary.clear()
    tx.syllable.cache_clear()
    assert fresh._jieba is None

    vocabulary.warm_up()

    assert isinstance(fresh._jieba, rjieba.Jieba)
    assert "电子膨胀阀" in fresh._words  # the seeded domain dictionary is in the segmenter
    assert tx.syllable.cache_info().currsize > 0  # pypinyin has answered
    with CaptureQueriesContext(connection) as queries:
        vocab = vocabulary.current()
        q = engine.analyse("扫描板和电子膨胀阀都换过了，外机报E4", vocab)
    assert len(queries) == 0  # the vocabulary is cached: the first request reads nothing
    assert vocab.segmenter is fresh._jieba
    assert "电子膨胀阀" in q.keys and "#E4" in q.keys
    assert vocab.groups and vocab.models
