"""Similar cases (and articles) for a free text: the query's keys and synonym groups, the
selective keys (by document frequency), the best candidates fetched with the query keys they
carry and their trigram similarity, then re-ranked in Python (``rank``). Callers pass the
audience (the selectors decide it).

Published cases — every suggestion — are found through their *postings*
(``knowledge_posting``: key, case, in the title / phenomenon or not, category, public): the
chosen keys' postings summed per case with the weight the re-ranking gives each key (kind ×
idf, a synonym group's other wordings at ``EXPANSION``), an index-only scan of the postings'
primary key and one hash aggregate, no case row read until the best ``POSTING_CANDIDATES``.
Other states and articles use the GIN-indexed ``tsvector`` and ``ts_rank``, which reads every
matching row.

The cost grows with the rows summed (or ranked), so the keys are chosen within a *row budget*
(the sum of their document frequencies; ``POSTING_BUDGET``, ``ROW_BUDGET`` for ``ts_rank``):
codes first, then by their weight in the re-ranking, a key that would overrun the budget
skipped for rarer ones. A small collection never reaches the budget (all the selective keys
are taken); at 100 000 cases it bounds the rows to some thousands instead of tens of
thousands."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

from django.db import connection

from aftersales.core.cache import TimedCache
from aftersales.knowledge.search import rank as rk
from aftersales.knowledge.search import text as tx
from aftersales.knowledge.search.vocabulary import Vocabulary, current

CANDIDATES = 150
SELECTIVE_KEYS = 24
COMMON_SHARE = 0.15  # keys in more than this share of the cases only re-rank
ROW_BUDGET = 3000  # at most about this many rows ranked in SQL (Σ df of the chosen keys)
POSTING_BUDGET = 15000  # the same for the postings (summed from an index, no ts_rank)
POSTING_CANDIDATES = 100  # their sum is the re-ranking's lexical score: fewer suffice
EXPANSION = 0.4  # a synonym group's other wordings, against the query's own words
TOTAL_KEY = "__total__"
MAX_QUERY = 500
FREQUENCY_SECONDS = 60.0
_frequencies: TimedCache[dict[str, int]] = TimedCache(seconds=FREQUENCY_SECONDS)


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


def _all_frequencies() -> dict[str, int]:
    with connection.cursor() as cur:
        cur.execute("SELECT key, df FROM knowledge_termstat WHERE df > 0")
        return dict(cur.fetchall())


def document_frequencies(keys: list[str], table: str) -> tuple[dict[str, int], int]:
    """The frequencies of ``keys`` among the published cases, from this process's copy of
    ``knowledge_termstat`` (a few thousand rows; one round trip less per suggestion, which
    costs milliseconds on a loaded machine). The services drop it on every change here;
    other processes see a new key within ``FREQUENCY_SECONDS``."""
    if table != "knowledge_case":
        return {}, 0
    every = _frequencies.get("all", _all_frequencies)
    dfs = {k: every[k] for k in keys if k in every}
    return dfs, int(every.get(TOTAL_KEY, 0))


def forget_frequencies() -> None:
    _frequencies.clear()


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


def _gin_candidates(
    table: str,
    keys: list[str],
    weights: list[tuple[float, float]],
    query_keys: list[str],
    text: str,
    scope: Scope,
    extra: str,
    limit: int,
) -> list[tuple[Any, ...]]:
    """Any state, cases or articles: the chosen keys OR-ed into a ``tsquery`` over the GIN
    index, the best ``limit`` by ``ts_rank`` (one per matching row, read from the heap)."""
    where = ["search_doc @@ %(q)s::tsquery", "archived_at IS NULL", "state = ANY(%(states)s)"]
    params: dict[str, Any] = {
        "q": " | ".join(_quote(k) for k in keys),
        "states": list(scope.states),
        "text": tx.normalize(text)[:MAX_QUERY],
        "n": limit,
    }
    where += _scope_filters(scope, params, alias="", id_column="id")
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


def _scope_filters(
    scope: Scope, params: dict[str, Any], *, alias: str, id_column: str
) -> list[str]:
    """The scope's conditions (public only, category, excluded cases) on the columns of the
    case table or the postings (``alias``), their values added to ``params``."""
    where = []
    if scope.public_only:
        where.append(f"{alias}is_public")
    if scope.category_id is not None:
        where.append(f"{alias}category_id = %(cat)s")
        params["cat"] = scope.category_id
    if scope.exclude_ids:
        where.append(f"NOT ({alias}{id_column} = ANY(%(ex)s))")
        params["ex"] = list(scope.exclude_ids)
    return where


def posting_query(
    table: str,
    keys: list[str],
    weights: list[tuple[float, float]],
    query_keys: list[str],
    text: str,
    scope: Scope,
    extra: str,
    limit: int,
) -> tuple[str, dict[str, Any]]:
    """Published cases: the chosen keys' postings (``knowledge_posting``, an index-only scan
    of its primary key) summed per case with the weights the re-ranking gives the keys (in
    the title / phenomenon, in the cause / solution), the best ``limit`` read with the query keys
    they carry (not their whole key arrays)."""
    params: dict[str, Any] = {
        "keys": keys,
        "wm": [m for m, _ in weights],
        "wx": [x for _, x in weights],
        "qk": query_keys,
        "text": tx.normalize(text)[:MAX_QUERY],
        "n": limit,
    }
    where = _scope_filters(scope, params, alias="p.", id_column="case_id")
    sql = f"""
        SELECT c.id,
               ARRAY(SELECT unnest(c.keys_main) INTERSECT SELECT unnest(%(qk)s::varchar[])),
               ARRAY(SELECT unnest(c.keys_more) INTERSECT SELECT unnest(%(qk)s::varchar[])),
               c.search_pinyin, {extra}, similarity(c.search_text, %(text)s), c.search_text
        FROM (SELECT p.case_id AS id, sum(CASE WHEN p.main THEN q.wm ELSE q.wx END) AS r
              FROM unnest(%(keys)s::varchar[], %(wm)s::float8[], %(wx)s::float8[])
                   AS q(key, wm, wx)
              JOIN knowledge_posting p ON p.key = q.key
              {"WHERE " + " AND ".join(where) if where else ""}
              GROUP BY p.case_id ORDER BY r DESC, p.case_id LIMIT %(n)s) s
        JOIN {table} c ON c.id = s.id
        WHERE c.state = 'published' AND c.archived_at IS NULL
        ORDER BY s.r DESC, c.id
    """
    return sql, params


def _posting_candidates(*args: Any) -> list[tuple[Any, ...]]:
    sql, params = posting_query(*args)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())


def key_weights(
    keys: list[str], kinds: dict[str, str], dfs: dict[str, int], total: int
) -> list[tuple[float, float]]:
    """What each key adds to a case's score in the re-ranking (``rank.score``), in the
    title / phenomenon / codes and in the cause / solution; a synonym group's other wordings
    at ``EXPANSION``."""
    weight = {"word": rk.WORD, "bigram": rk.BIGRAM, "code": rk.CODE, "expansion": EXPANSION}
    out = []
    for k in keys:
        kind = kinds.get(k, "word")
        w = weight[kind] * rk.idf(dfs.get(k, 0), total)
        out.append((w + (rk.CODE_BOOST if kind == "code" else 0.0), w * rk.MORE))
    return out


def uses_postings(table: str, scope: Scope) -> bool:
    """The postings hold the published, live cases: what every suggestion searches."""
    return table == "knowledge_case" and tuple(scope.states) == ("published",)


def search(
    text: str,
    *,
    scope: Scope,
    table: str = "knowledge_case",
    limit: int = 5,
    feedback: dict[int, str] | None = None,
    vocab: Vocabulary | None = None,
    timings: dict[str, float] | None = None,
    budget: int | Literal["default"] | None = "default",
    postings: bool = True,
) -> list[Hit]:
    """Ranked hits; ``feedback`` maps case ids to this ticket's verdicts. ``budget`` and
    ``postings=False`` (the ``ts_rank`` query even where the postings could answer) are for
    the benchmark's side-by-side runs."""
    t0 = time.perf_counter()
    vocab = vocab or current()
    q = analyse(text, vocab, scope.category_id)
    if not q.keys and not q.phrases:
        return []
    expansion = _expansion(q, vocab)
    all_keys = [*q.keys, *expansion]
    dfs, total = document_frequencies(all_keys, table)
    kinds = {**{k: "expansion" for k in expansion}, **q.keys}
    fast = postings and uses_postings(table, scope)
    if budget == "default":
        budget = POSTING_BUDGET if fast else ROW_BUDGET
    chosen = selective(all_keys, kinds, dfs, total, budget)
    if not chosen:
        return []
    t1 = time.perf_counter()
    is_case = table == "knowledge_case"
    extra = "c.product_model_id, c.solved_count, c.not_relevant_count" if is_case else "NULL, 0, 0"
    fetch = _posting_candidates if fast else _gin_candidates
    weights = key_weights(chosen, kinds, dfs, total)
    n = POSTING_CANDIDATES if fast else CANDIDATES
    rows = fetch(table, chosen, weights, list(q.keys), text, scope, extra, n)
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
