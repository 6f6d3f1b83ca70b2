"""Similar cases (and articles) for a free text: the query's keys and synonym groups, the
selective keys (by document frequency) OR-ed into a ``tsquery`` over the GIN index, the best
``CANDIDATES`` by ``ts_rank`` fetched with their key arrays and trigram similarity, then
re-ranked in Python (``rank``). Callers pass the audience (the selectors decide it).

The candidate query costs one ``ts_rank`` per row that carries any chosen key, so the keys
are chosen within a *row budget* (``ROW_BUDGET``: the sum of their document frequencies):
codes first, then by the weight the re-ranking gives them (kind × idf), a key that would
overrun the budget skipped for rarer ones. A small collection never reaches the budget (all
the selective keys are taken, as before); at 100 000 cases it bounds the rows ranked to a
few thousand instead of tens of thousands."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db import connection

from aftersales.knowledge.search import rank as rk
from aftersales.knowledge.search import text as tx
from aftersales.knowledge.search.vocabulary import Vocabulary, current

CANDIDATES = 150
SELECTIVE_KEYS = 24
COMMON_SHARE = 0.15  # keys in more than this share of the cases only re-rank
ROW_BUDGET = 3000  # at most about this many rows ranked in SQL (Σ df of the chosen keys)
EXPANSION = 0.4  # a synonym group's other wordings, against the query's own words
TOTAL_KEY = "__total__"
MAX_QUERY = 500


@dataclass(frozen=True)
class Scope:
    """Which rows may come back: the states, public only, a category, excluded ids."""

    states: tuple[str, ...] = ("published",)
    public_only: bool = False
    category_id: int | None = None
    exclude_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    why: dict[str, float]


def analyse(text: str, vocab: Vocabulary, category_id: int | None = None) -> rk.Query:
    text = (text or "")[:MAX_QUERY]
    keys: dict[str, str] = {}
    for w in tx.words(text, vocab.segment):
        keys[w] = "word"
    for b in tx.bigrams(text):
        keys.setdefault(b, "bigram")
    codes = tx.codes(text)
    for c in codes:
        keys[f"#{c}"[:60]] = "code"
    line = tx.pinyin_line(text)
    phrases: dict[int, tuple[str, ...]] = {}
    for g in vocab.groups:
        if category_id is not None and g.category_id not in (None, category_id):
            continue
        if any(p in line for p in g.phrases) or any(t.lower() in codes for t in g.terms):
            phrases[g.id] = g.phrases
    models = frozenset(
        pk
        for pk, code, cat in vocab.models
        for c in codes
        if len(c) >= 4
        and (c in code or (len(code) >= 4 and code in c))
        and category_id in (None, cat)
    )
    return rk.Query(keys=keys, phrases=phrases, model_ids=models)


def _expansion(q: rk.Query, vocab: Vocabulary) -> list[str]:
    out: list[str] = []
    for g in vocab.groups:
        if g.id in q.phrases:
            out += [k for k in g.keys if k not in q.keys]
    return list(dict.fromkeys(out))


def document_frequencies(keys: list[str], table: str) -> tuple[dict[str, int], int]:
    stat = "knowledge_termstat" if table == "knowledge_case" else None
    if stat is None:
        return {}, 0
    with connection.cursor() as cur:
        cur.execute(
            "SELECT key, df FROM knowledge_termstat WHERE key = ANY(%s)", [[*keys, TOTAL_KEY]]
        )
        dfs = dict(cur.fetchall())
    total = int(dfs.pop(TOTAL_KEY, 0))
    return dfs, total


def _quote(key: str) -> str:
    return "'" + key.replace("\\", "").replace("'", "") + "'"


def selective(
    keys: list[str],
    kinds: dict[str, str],
    dfs: dict[str, int],
    total: int,
    budget: int | None = ROW_BUDGET,
) -> list[str]:
    """The keys worth an index scan: present in the collection, codes first, then the
    rarest; the common ones only when nothing else is left. With a ``budget``, the keys
    in the order of their weight in the re-ranking while the sum of their frequencies
    stays within it (the first always; ``None``: no budget, the rarest only)."""
    present = [k for k in keys if dfs.get(k, 0) > 0 or not dfs]
    limit = max(total * COMMON_SHARE, 30)
    rare = [k for k in present if dfs.get(k, 0) <= limit or kinds.get(k) == "code"]
    chosen = rare or present
    chosen.sort(key=lambda k: (kinds.get(k) != "code", dfs.get(k, 0)))
    chosen = chosen[:SELECTIVE_KEYS]
    if budget is None or sum(dfs.get(k, 0) for k in chosen) <= budget:
        return chosen
    weight = {"word": rk.WORD, "bigram": rk.BIGRAM, "code": rk.CODE, "expansion": EXPANSION}

    def priority(k: str) -> tuple[bool, float]:
        return (
            kinds.get(k) != "code",
            -weight[kinds.get(k, "word")] * rk.idf(dfs.get(k, 0), total),
        )

    out: list[str] = []
    rows = 0
    for k in sorted(chosen, key=priority):
        df = dfs.get(k, 0)
        if not out or rows + df <= budget:
            out.append(k)
            rows += df
    return out


def _candidates(
    table: str, tsquery: str, text: str, scope: Scope, extra: str, limit: int
) -> list[tuple[Any, ...]]:
    where = ["search_doc @@ %(q)s::tsquery", "archived_at IS NULL", "state = ANY(%(states)s)"]
    params: dict[str, Any] = {
        "q": tsquery,
        "states": list(scope.states),
        "text": tx.normalize(text)[:MAX_QUERY],
        "n": limit,
    }
    if scope.public_only:
        where.append("is_public")
    if scope.category_id is not None:
        where.append("category_id = %(cat)s")
        params["cat"] = scope.category_id
    if scope.exclude_ids:
        where.append("NOT (id = ANY(%(ex)s))")
        params["ex"] = list(scope.exclude_ids)
    sql = f"""
        SELECT c.id, c.keys_main, c.keys_more, c.search_pinyin, {extra},
               similarity(c.search_text, %(text)s), c.search_text
        FROM (SELECT id, ts_rank('{{0.1, 0.35, 0.5, 1.0}}', search_doc, %(q)s::tsquery) AS r
              FROM {table} WHERE {" AND ".join(where)}
              ORDER BY r DESC, id LIMIT %(n)s) s
        JOIN {table} c ON c.id = s.id
    """
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())


def search(
    text: str,
    *,
    scope: Scope,
    table: str = "knowledge_case",
    limit: int = 5,
    feedback: dict[int, str] | None = None,
    vocab: Vocabulary | None = None,
    timings: dict[str, float] | None = None,
    budget: int | None = ROW_BUDGET,
) -> list[Hit]:
    """Ranked hits; ``feedback`` maps case ids to this ticket's verdicts."""
    t0 = time.perf_counter()
    vocab = vocab or current()
    q = analyse(text, vocab, scope.category_id)
    if not q.keys and not q.phrases:
        return []
    expansion = _expansion(q, vocab)
    all_keys = [*q.keys, *expansion]
    dfs, total = document_frequencies(all_keys, table)
    kinds = {**{k: "expansion" for k in expansion}, **q.keys}
    chosen = selective(all_keys, kinds, dfs, total, budget)
    if not chosen:
        return []
    tsquery = " | ".join(_quote(k) for k in chosen)
    t1 = time.perf_counter()
    is_case = table == "knowledge_case"
    extra = "c.product_model_id, c.solved_count, c.not_relevant_count" if is_case else "NULL, 0, 0"
    rows = _candidates(table, tsquery, text, scope, extra, CANDIDATES)
    t2 = time.perf_counter()
    feedback = feedback or {}
    candidates = []
    grams = tx.char_grams(text[:MAX_QUERY])
    for pk, km, kx, py, model_id, solved, not_rel, trigram, doc in rows:
        main_py, _, more_py = (py or "").partition("#")
        verdict = feedback.get(pk)
        candidates.append(
            rk.Candidate(
                id=pk,
                keys_main=set(km),
                keys_more=set(kx),
                pinyin_main=main_py,
                pinyin_more=more_py,
                product_model_id=model_id,
                trigram=float(trigram or 0),
                overlap=tx.coverage(grams, doc or ""),
                solved=solved or 0,
                not_relevant=not_rel or 0,
                dismissed=verdict == "not_relevant",
                confirmed=verdict == "solved",
            )
        )
    ranked = rk.rank(q, candidates, dfs, max(total, len(rows)))
    if timings is not None:
        timings.update(
            analyse=t1 - t0,
            sql=t2 - t1,
            rerank=time.perf_counter() - t2,
            candidates=len(rows),
            keys=len(chosen),
        )
    return [Hit(c.id, c.score, c.why) for c in ranked[:limit] if c.score > 0]
