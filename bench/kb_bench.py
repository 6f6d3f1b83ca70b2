"""Knowledge-base benchmark (issue #13), in one run against a real PostgreSQL:

1. **quality** on the labelled set in ``bench/kb_eval`` (240 cases over the six demo
   categories, imported with ``kb_import``'s code path and published; 200+ queries written
   from the fault, not the case text): recall@5, recall@1 and MRR@10, overall and per query
   kind, for the search engine and side by side for a character-overlap baseline (what a
   ``LIKE '%…%'`` search over the case text amounts to: the share of the query's character
   bigrams and ASCII tokens found in the case, ties by id);
2. **at scale, old vs new candidate query** in-process in the same run, with 100 000
   published cases in the database (the 240 plus generated ones): ``engine.search`` with
   the ``ts_rank`` query (``postings=False``; without and with ``engine.ROW_BUDGET``) and with
   the postings (with ``engine.POSTING_BUDGET`` and without a budget), p50/p95 and
   success@5 / success@1 — a hit is a case whose title comes from a relevant case of the set
   (the generated cases are recombined from the set's cases, so at 100 000 each of them has
   hundreds of near-copies and recall of the original ids alone says nothing);
3. **a fresh worker's first suggestion**: a one-worker gunicorn without and with the
   knowledge base's warm-up (``KB_WARMUP``), once it answers at all;
4. **latency** of ``GET /api/v1/kb/similar`` against a real server (gunicorn, 2 workers ×
   4 threads), p50/p95 over the queries of the set sent one after the other (an agent
   typing), ``--server-runs`` times (the machine is shared: each run says its load).

recall@k of a query = |relevant ∩ top k| / min(|relevant|, k) (so recall@1 is "the first
suggestion is a right one"); MRR@10 = 1 / rank of the first relevant case in the top 10.

Run: ``make bench`` or
``.venv/bin/python scripts/with_db.py -- .venv/bin/python bench/kb_bench.py [--quick]
[--cases N] [--skip-latency] [--server-runs N]``
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
EVAL = ROOT / "bench" / "kb_eval"
KINDS = ("paraphrase", "colloquial", "code", "typo")


@dataclass(frozen=True)
class EvalCase:
    id: str
    category: str
    model: str
    codes: str
    title: str
    phenomenon: str
    cause: str
    solution: str

    def text(self) -> str:
        return " ".join(
            (self.title, self.phenomenon, self.cause, self.solution, self.codes, self.model)
        )


@dataclass(frozen=True)
class EvalQuery:
    kind: str
    relevant: frozenset[str]
    text: str


def _lines(name: str) -> list[list[str]]:
    out = []
    for raw in (EVAL / name).read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            out.append([c.strip() for c in raw.split("|")])
    return out


def load_set() -> tuple[list[EvalCase], list[EvalQuery]]:
    cases = [EvalCase(*cells) for cells in _lines("cases.txt")]
    queries = [
        EvalQuery(kind, frozenset(r.strip() for r in rel.split(",")), text)
        for kind, rel, text in _lines("queries.txt")
    ]
    ids = {c.id for c in cases}
    unknown = {r for q in queries for r in q.relevant} - ids
    assert not unknown, f"queries name unknown cases: {unknown}"
    return cases, queries


# --- metrics ---------------------------------------------------------------------------


def recall_at(ranked: list[str], relevant: frozenset[str], k: int) -> float:
    return len(set(ranked[:k]) & relevant) / min(len(relevant), k)


def rr_at(ranked: list[str], relevant: frozenset[str], k: int = 10) -> float:
    for i, r in enumerate(ranked[:k], start=1):
        if r in relevant:
            return 1.0 / i
    return 0.0


def summarise(runs: list[tuple[EvalQuery, list[str]]]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[tuple[EvalQuery, list[str]]]] = defaultdict(list)
    for q, ranked in runs:
        groups["all"].append((q, ranked))
        groups[q.kind].append((q, ranked))
    return {
        name: {
            "n": len(rows),
            "r5": statistics.fmean(recall_at(r, q.relevant, 5) for q, r in rows),
            "r1": statistics.fmean(recall_at(r, q.relevant, 1) for q, r in rows),
            "mrr": statistics.fmean(rr_at(r, q.relevant) for q, r in rows),
        }
        for name, rows in groups.items()
    }


# --- the baseline: character overlap (LIKE) ----------------------------------------------


def baseline_rank(query: str, cases: list[EvalCase], k: int = 10) -> list[str]:
    from aftersales.knowledge.search import text as tx

    grams = tx.char_bigrams(query)
    if not grams:
        return []
    scored = []
    for c in cases:
        doc = tx.normalize(c.text())
        hits = sum(1 for g in grams if g in doc)
        if hits:
            scored.append((-hits / len(grams), c.id))
    return [cid for _, cid in sorted(scored)[:k]]


def like_rank(query: str, cases: list[EvalCase], k: int = 10) -> list[str]:
    """Plain ``LIKE``: every space-separated term of the query is a substring of the case
    text (``ILIKE '%term%'`` AND …), in id order — what a list filter does."""
    from aftersales.knowledge.search import text as tx

    terms = tx.normalize(query).split()
    if not terms:
        return []
    return [c.id for c in cases if all(t in tx.normalize(c.text()) for t in terms)][:k]


# --- setting up ---------------------------------------------------------------------------


def setup_django() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_catalogue() -> None:
    from aftersales import testing as t
    from aftersales.demo.catalog_data import CATEGORIES, MODELS
    from aftersales.installed_base.models import ProductModel
    from aftersales.knowledge.search import vocabulary
    from aftersales.knowledge.services.vocabulary import vocabulary_seed

    cats = {code: t.category(code, name) for code, name in CATEGORIES}
    for m in MODELS:
        ProductModel.objects.get_or_create(
            code=m.code, defaults={"category": cats[m.category], "name": m.name}
        )
    vocabulary_seed(actor=None)
    vocabulary.clear()


def import_set(cases: list[EvalCase]) -> dict[int, str]:
    from aftersales.knowledge.services import transfer

    rows = [
        (
            n,
            {
                "external_id": c.id,
                "category": c.category,
                "model": c.model,
                "codes": c.codes,
                "title": c.title,
                "phenomenon": c.phenomenon,
                "cause": c.cause,
                "solution": c.solution,
            },
        )
        for n, c in enumerate(cases, start=1)
    ]
    result = transfer.import_cases(iter(rows), actor=None, publish=True)
    from aftersales.knowledge.models import Case

    return dict(Case.objects.filter(pk__in=result.created).values_list("pk", "external_id"))


def engine_rank(query: str, by_pk: dict[int, str], k: int = 10) -> list[str]:
    from aftersales.knowledge.search import engine

    hits = engine.search(query, scope=engine.Scope(), limit=k)
    return [by_pk.get(h.id, f"gen-{h.id}") for h in hits]


# --- 100 000 cases -------------------------------------------------------------------------

PLACES = ["一号楼", "二期", "地下室", "机房", "东区", "大厅", "三楼会议室", "仓库", "南门", ""]


def generate(cases: list[EvalCase], n: int, seed: int = 13) -> int:
    """``n`` more published cases recombined from the set's sentences (same categories,
    vocabulary and code shapes), written in bulk. Their search documents are put together
    from the documents of the pieces (cached: building each from scratch would take most of
    the run), which differs from ``index.build`` only at the joins."""
    from django.db import connection, transaction

    from aftersales.installed_base.models import ProductCategory, ProductModel
    from aftersales.knowledge.models import Case, ReviewState
    from aftersales.knowledge.search import text as tx
    from aftersales.knowledge.search import vocabulary
    from aftersales.knowledge.services.index import rebuild_statistics

    rng = random.Random(seed)
    vocab = vocabulary.current()
    piece_keys: dict[str, list[str]] = {}
    piece_py: dict[str, str] = {}

    def keys(piece: str) -> list[str]:
        if piece not in piece_keys:
            piece_keys[piece] = tx.keys(piece, vocab.segment)
            piece_py[piece] = tx.pinyin_line(piece).strip()
        return piece_keys[piece]

    cats = {c.code: c.pk for c in ProductCategory.objects.all()}
    models_by_cat: dict[str, list[Any]] = defaultdict(list)
    for m in ProductModel.objects.select_related("category"):
        models_by_cat[m.category.code].append(m)
    by_cat: dict[str, list[EvalCase]] = defaultdict(list)
    for c in cases:
        by_cat[c.category].append(c)
    codes = [f"{p}{i}" for p in ("E", "P", "F", "H", "L") for i in range(1, 30)]
    made = 0
    batch: list[Case] = []
    with transaction.atomic():
        for i in range(n):
            cat = rng.choice(list(by_cat))
            pool = by_cat[cat]
            a, b, c, d = (rng.choice(pool) for _ in range(4))
            model = rng.choice(models_by_cat[cat]) if rng.random() < 0.5 else None
            code = rng.choice(codes) if rng.random() < 0.15 else ""
            place = rng.choice(PLACES)
            main = [place, a.title, a.phenomenon, b.phenomenon.split("，")[0], code]
            main += [model.code if model else ""]
            more = [c.cause, d.solution]
            km = list(dict.fromkeys(k for p in main if p for k in keys(p)))
            seen = set(km)
            kx = [k for k in dict.fromkeys(k for p in more for k in keys(p)) if k not in seen]
            case = Case(
                category_id=cats[cat],
                product_model=model,
                title=f"{place}{a.title}"[:200],
                phenomenon=f"{a.phenomenon}，{b.phenomenon.split('，')[0]}",
                cause=c.cause,
                solution=d.solution,
                codes=code,
                state=ReviewState.PUBLISHED,
                external_id=f"GEN-{i:06d}",
                keys_main=km[:400],
                keys_more=kx[:400],
                search_text=tx.normalize(" ".join(p for p in main if p))[:2000],
                search_pinyin=" "
                + " | ".join(piece_py[p] for p in main if p)
                + " # "
                + " | ".join(piece_py[p] for p in more)
                + " ",
            )
            batch.append(case)
            if len(batch) >= 5000:
                Case.objects.bulk_create(batch)
                made += len(batch)
                batch = []
        if batch:
            Case.objects.bulk_create(batch)
            made += len(batch)
        rebuild_statistics()
    with connection.cursor() as cur:
        # what autovacuum does to a collection that has been in use: the GIN index's pending
        # list merged, the visibility map and hint bits set — not the first minutes after a
        # bulk load, when every query also scans the pending list and dirties pages
        cur.execute("VACUUM ANALYZE knowledge_case")
        cur.execute("VACUUM ANALYZE knowledge_termstat")
        cur.execute("VACUUM ANALYZE knowledge_posting")
    return made


def sources(cases: list[EvalCase]) -> dict[int, set[str]]:
    """Each case in the database → the set's case ids its title comes from."""
    from aftersales.knowledge.models import Case

    by_title: dict[str, set[str]] = defaultdict(set)
    for c in cases:
        by_title[c.title].add(c.id)
    out: dict[int, set[str]] = {}
    for pk, ext, title in Case.objects.values_list("pk", "external_id", "title"):
        if not ext.startswith("GEN-"):
            out[pk] = {ext}
            continue
        for p in PLACES:
            if title.startswith(p) and title[len(p) :] in by_title:
                out[pk] = by_title[title[len(p) :]]
                break
    return out


def at_scale(
    queries: list[EvalQuery], src: dict[int, set[str]], budget: int | None, postings: bool
) -> dict[str, float]:
    from aftersales.knowledge.search import engine

    times: list[float] = []
    hit5 = hit1 = 0
    for q in queries:
        t0 = time.perf_counter()
        hits = engine.search(
            q.text, scope=engine.Scope(), limit=5, budget=budget, postings=postings
        )
        times.append(time.perf_counter() - t0)
        found = [src.get(h.id, set()) & q.relevant for h in hits]
        hit5 += any(found)
        hit1 += bool(found and found[0])
    times.sort()
    n = len(queries)
    return {
        "p50": times[n // 2] * 1000,
        "p95": times[int(n * 0.95)] * 1000,
        "s5": hit5 / n,
        "s1": hit1 / n,
    }


def _client(port: int, key: str) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {key}"}

    def get(text: str) -> float:
        t0 = time.perf_counter()
        conn.request("GET", f"/api/v1/kb/similar?limit=5&text={quote(text)}", headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        assert resp.status == 200, (resp.status, body[:200])
        return time.perf_counter() - t0

    return get


def _booted(port: int) -> float:
    """Wait until a worker answers a request that needs no search (401 without a token):
    the worker has imported the application and run its warm-ups. Returns the seconds."""
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request("GET", "/api/v1/kb/similar?text=x")
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 401, resp.status
    conn.close()
    return time.perf_counter() - t0


def _agent_key() -> str:
    from aftersales import testing as t
    from aftersales.accounts.models import User
    from aftersales.accounts.services import issue_token

    agent = User.objects.filter(username="kb-bench-agent").first()
    agent = agent or t.user("agent", username="kb-bench-agent")
    return issue_token(user=agent)[1]


def first_request(queries: list[EvalQuery], warm_up: bool) -> dict[str, float]:
    """A fresh one-worker server (``KB_WARMUP=0``: without the knowledge base's warm-up):
    how long until it answers at all, then its first and second suggestion requests (the
    first is what an agent met after a restart)."""
    from bench.service_bench import free_port, start_server

    key = _agent_key()
    port = free_port()
    os.environ["KB_WARMUP"] = "1" if warm_up else "0"
    try:
        proc = start_server(port, workers=1)
    finally:
        os.environ.pop("KB_WARMUP")
    try:
        boot = _booted(port)
        get = _client(port, key)
        return {
            "boot": boot * 1000,
            "first": get(queries[1].text) * 1000,
            "second": get(queries[2].text) * 1000,
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def latency(queries: list[EvalQuery], rounds: int) -> dict[str, float]:
    from bench.service_bench import free_port, start_server

    key = _agent_key()
    port = free_port()
    proc = start_server(port)
    try:
        boot = _booted(port)
        get = _client(port, key)
        first = [get(q.text) for q in queries[:40]]  # both workers' threads connected
        print(
            f"server answers after {boot * 1000:.0f} ms; then first suggestion "
            f"{first[0] * 1000:.0f} ms, slowest of 40 {max(first) * 1000:.0f} ms"
        )
        samples = [get(q.text) for _ in range(rounds) for q in queries]
        samples.sort()
        return {
            "n": len(samples),
            "p50": samples[len(samples) // 2] * 1000,
            "p95": samples[int(len(samples) * 0.95)] * 1000,
            "max": samples[-1] * 1000,
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def uptime() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def table(*runs: tuple[str, dict[str, dict[str, float]]]) -> str:
    names = [n for n, _ in runs]
    head = ["queries", "n"]
    for metric in ("recall@5", "recall@1", "MRR@10"):
        head += [f"{metric} {n}" for n in names]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for kind in ("all", *KINDS):
        cells = [kind, f"{runs[0][1][kind]['n']:.0f}"]
        for metric in ("r5", "r1", "mrr"):
            for i, (_, s) in enumerate(runs):
                v = f"{s[kind][metric]:.3f}"
                cells.append(f"**{v}**" if i == 0 else v)
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="20 000 cases, one round")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--misses", action="store_true", help="print the engine's misses")
    parser.add_argument("--server-runs", type=int, default=2, help="server measurements")
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC, load {uptime()}")
    setup_django()
    cases, queries = load_set()
    print(f"evaluation set: {len(cases)} cases, {len(queries)} queries")
    build_catalogue()
    by_pk = import_set(cases)
    runs_engine = [(q, engine_rank(q.text, by_pk)) for q in queries]
    runs_base = [(q, baseline_rank(q.text, cases)) for q in queries]
    runs_like = [(q, like_rank(q.text, cases)) for q in queries]
    e, b, lk = summarise(runs_engine), summarise(runs_base), summarise(runs_like)
    print(table(("engine", e), ("overlap", b), ("LIKE", lk)))
    worst = min(e[k]["r5"] for k in KINDS)
    print(
        f"\nrecall@5 {e['all']['r5']:.3f} (target ≥ 0.85); over the character-overlap baseline "
        f"{(e['all']['r5'] - b['all']['r5']) * 100:+.1f} points, over plain LIKE "
        f"{(e['all']['r5'] - lk['all']['r5']) * 100:+.1f} points (target ≥ +30); "
        f"weakest kind {worst:.3f} (target ≥ 0.70)"
    )
    if args.misses:
        for q, ranked in runs_engine:
            if not set(ranked[:5]) & q.relevant:
                print(f"  miss [{q.kind}] {q.text} → want {sorted(q.relevant)} got {ranked[:5]}")
    if args.skip_latency:
        return
    total = 20_000 if args.quick else args.cases
    t0 = time.perf_counter()
    made = generate(cases, total - len(cases))
    print(f"\ngenerated {made} more cases in {time.perf_counter() - t0:.0f} s")
    from aftersales.knowledge.search import engine

    src = sources(cases)
    engine_rank(queries[0].text, by_pk)  # warm the vocabulary
    print(f"\n{time.strftime('%H:%M:%S', time.gmtime())} UTC, load {uptime()}")
    print("in-process at scale | p50 ms | p95 ms | success@5 | success@1")
    variants: list[tuple[str, int | None, bool]] = [
        ("before: ts_rank, no row budget", None, False),
        (f"before: ts_rank, ROW_BUDGET {engine.ROW_BUDGET}", engine.ROW_BUDGET, False),
        (f"now: postings, POSTING_BUDGET {engine.POSTING_BUDGET}", engine.POSTING_BUDGET, True),
        ("postings, no row budget", None, True),
    ]
    for name, budget, postings in variants:
        s = at_scale(queries, src, budget, postings)
        print(f"{name} | {s['p50']:.1f} | {s['p95']:.1f} | {s['s5']:.3f} | {s['s1']:.3f}")
    for warm in (False, True):
        fresh = first_request(queries, warm)
        print(
            f"fresh one-worker server, KB_WARMUP={warm:d}: answers after {fresh['boot']:.0f} ms, "
            f"first suggestion {fresh['first']:.1f} ms, second {fresh['second']:.1f} ms"
        )
    for run in range(1, args.server_runs + 1):
        lat = latency(queries, 1 if args.quick else args.rounds)
        print(
            f"run {run}, {time.strftime('%H:%M:%S', time.gmtime())} UTC, load {uptime()}: "
            f"GET /api/v1/kb/similar with {made + len(cases)} cases: p50 {lat['p50']:.1f} ms, "
            f"p95 {lat['p95']:.1f} ms (target ≤ 50), max {lat['max']:.1f} ms, "
            f"{lat['n']:.0f} requests"
        )
    print(f"{time.strftime('%H:%M:%S', time.gmtime())} UTC, load {uptime()}")


if __name__ == "__main__":
    main()
