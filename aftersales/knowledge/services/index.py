"""Keeping the search documents, the document frequencies and the postings current — the
one home of every write of a case's search document (``refresh_case``, and
``rebuild_statistics`` after a bulk write). The frequencies and the postings count published,
live cases only: a case adds its keys when published and removes them when it leaves that
state or its text, category or audience changes while published."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from aftersales.knowledge.models import Article, Case, ReviewState
from aftersales.knowledge.search import engine, index
from aftersales.knowledge.search.engine import TOTAL_KEY
from aftersales.knowledge.search.vocabulary import Vocabulary, current


def _keys(case: Case) -> list[str]:
    return list(dict.fromkeys([*case.keys_main, *case.keys_more]))


def count_keys(keys: Iterable[str], sign: int) -> None:
    """Add ``sign`` (+1 / −1) to the frequency of each key and of the total."""
    keys = [*dict.fromkeys(keys), TOTAL_KEY]
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO knowledge_termstat (key, df) SELECT k, %s FROM unnest(%s::text[]) k
            ON CONFLICT (key) DO UPDATE SET df = knowledge_termstat.df + EXCLUDED.df
            """,
            [sign, keys],
        )
    transaction.on_commit(engine.forget_frequencies)
    engine.forget_frequencies()


_LIVE = "c.state = 'published' AND c.archived_at IS NULL"


def _insert_postings(where: str = "", params: list[Any] | None = None) -> None:
    """The postings of the live published cases matching ``where``: one row per key and
    case (a key in both arrays is a ``main`` posting), written in key order (a bulk rebuild
    fills the index's pages instead of splitting them)."""
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO knowledge_posting (key, case_id, main, category_id, is_public)
            SELECT DISTINCT ON (k.key, c.id) k.key, c.id, k.main, c.category_id, c.is_public
            FROM knowledge_case c,
                 LATERAL (SELECT unnest(c.keys_main) AS key, true AS main
                          UNION ALL SELECT unnest(c.keys_more), false) k
            WHERE {_LIVE} {where}
            ORDER BY k.key, c.id, k.main DESC
            """,
            params or [],
        )


def drop_postings(case_id: int, keys: Iterable[str]) -> None:
    with connection.cursor() as cur:
        cur.execute(
            "DELETE FROM knowledge_posting WHERE key = ANY(%s) AND case_id = %s",
            [list(keys), case_id],
        )


def refresh_case(case: Case, *, was_published: bool, vocab: Vocabulary | None = None) -> None:
    """Rebuild the document of ``case`` (already saved), move the frequencies and rewrite its
    postings."""
    old = _keys(case) if was_published else []
    doc = index.for_case(case, vocab)
    for name, value in doc.as_fields().items():
        setattr(case, name, value)
    Case.objects.filter(pk=case.pk).update(**doc.as_fields())
    if old:
        count_keys(old, -1)
        drop_postings(case.pk, old)
    if case.state == ReviewState.PUBLISHED and case.archived_at is None:
        count_keys(_keys(case), +1)
        _insert_postings("AND c.id = %s", [case.pk])


def refresh_article(article: Article, vocab: Vocabulary | None = None) -> None:
    doc = index.for_article(article, vocab)
    Article.objects.filter(pk=article.pk).update(**doc.as_fields())
    for name, value in doc.as_fields().items():
        setattr(article, name, value)


@transaction.atomic
def reindex_all(*, batch: int = 2000) -> dict[str, Any]:
    """Every document again with the current vocabulary, and the frequencies from scratch
    (after larger dictionary edits: ``manage.py kb_reindex``)."""
    vocab = current()
    n = 0
    cases = list(Case.objects.select_related("product_model"))
    for case in cases:
        for name, value in index.for_case(case, vocab).as_fields().items():
            setattr(case, name, value)
    Case.objects.bulk_update(cases, list(doc_fields()), batch_size=batch)
    articles = list(Article.objects.all())
    for article in articles:
        for name, value in index.for_article(article, vocab).as_fields().items():
            setattr(article, name, value)
    Article.objects.bulk_update(articles, list(doc_fields()), batch_size=batch)
    n += len(cases) + len(articles)
    rebuild_statistics()
    return {"documents": n}


def doc_fields() -> tuple[str, ...]:
    return ("keys_main", "keys_more", "search_text", "search_pinyin")


def rebuild_statistics() -> None:
    """The frequencies and the postings from scratch, from the cases' search documents
    (after ``reindex_all`` or a bulk load)."""
    with connection.cursor() as cur:
        cur.execute("TRUNCATE knowledge_posting")
    _insert_postings()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM knowledge_termstat")
        cur.execute(
            """
            INSERT INTO knowledge_termstat (key, df)
            SELECT k, count(*) FROM (
                SELECT DISTINCT c.id, k FROM knowledge_case c,
                       unnest(c.keys_main || c.keys_more) k
                WHERE c.state = 'published' AND c.archived_at IS NULL) s
            GROUP BY k
            """
        )
        cur.execute(
            """INSERT INTO knowledge_termstat (key, df)
               SELECT %s, count(*) FROM knowledge_case
               WHERE state = 'published' AND archived_at IS NULL""",
            [TOTAL_KEY],
        )
    transaction.on_commit(engine.forget_frequencies)
    engine.forget_frequencies()
