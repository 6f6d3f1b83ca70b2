"""The re-ranking of the candidate cases: a pure function over plain values.

score = Σ idf(key) · weight(kind) over the query keys the case carries (title / phenomenon
full weight, cause / solution ``MORE``), + ``CODE_BOOST`` per exact code in the title / phenomenon / codes, + ``CONCEPT`` per synonym group the query names
that the case names too (in any of the group's wordings, compared on pinyin), + ``MODEL`` if
the query names the case's product model, + ``TRIGRAM`` · trigram similarity of the texts, + ``OVERLAP`` · the share of the query's
character bigrams found in the title / phenomenon (single characters such as 黑 / 热 count),
+ the usefulness feedback (``FEEDBACK`` · log(1 + 解决了) − log(1 + 不相关)); a case marked
「不相关」 for this very ticket is pushed down (``DISMISSED``)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WORD = 1.0
BIGRAM = 0.55
CODE = 3.0
CODE_BOOST = 20.0  # an exact error code / model number in the title, phenomenon or codes: first
MORE = 0.35
CONCEPT = 6.0
CONCEPT_MORE = 1.2
MODEL = 2.5
TRIGRAM = 4.0
OVERLAP = 6.0  # the share of the query's character bigrams in the title / phenomenon
FEEDBACK = 0.8
DISMISSED = 0.25


@dataclass(frozen=True)
class Query:
    keys: dict[str, str]  # key → kind ("word" / "bigram" / "code")
    phrases: dict[int, tuple[str, ...]]  # synonym group id → padded pinyin phrases
    model_ids: frozenset[int] = frozenset()


@dataclass
class Candidate:
    id: int
    keys_main: set[str]
    keys_more: set[str]
    pinyin_main: str
    pinyin_more: str
    product_model_id: int | None
    trigram: float
    overlap: float = 0.0
    solved: int = 0
    not_relevant: int = 0
    dismissed: bool = False
    confirmed: bool = False
    score: float = 0.0
    why: dict[str, float] = field(default_factory=dict)


def idf(df: int, total: int) -> float:
    return math.log(1 + (total + 1) / (df + 0.5))


def score(q: Query, c: Candidate, dfs: dict[str, int], total: int) -> float:
    weight = {"word": WORD, "bigram": BIGRAM, "code": CODE}
    lex = 0.0
    for key, kind in q.keys.items():
        if key in c.keys_main:
            lex += idf(dfs.get(key, 0), total) * weight[kind]
            if kind == "code":
                lex += CODE_BOOST
        elif key in c.keys_more:
            lex += idf(dfs.get(key, 0), total) * weight[kind] * MORE
    concept = 0.0
    for phrases in q.phrases.values():
        if any(p in c.pinyin_main for p in phrases):
            concept += CONCEPT
        elif any(p in c.pinyin_more for p in phrases):
            concept += CONCEPT_MORE
    model = MODEL if c.product_model_id is not None and c.product_model_id in q.model_ids else 0.0
    feedback = FEEDBACK * (math.log1p(c.solved) - math.log1p(c.not_relevant))
    if c.confirmed:
        feedback += CONCEPT
    total_score = lex + concept + model + TRIGRAM * c.trigram + OVERLAP * c.overlap + feedback
    if c.dismissed:
        total_score *= DISMISSED
    c.why = {
        "lexical": lex,
        "synonyms": concept,
        "model": model,
        "trigram": c.trigram,
        "overlap": c.overlap,
    }
    c.score = round(total_score, 3)
    return c.score


def rank(q: Query, candidates: list[Candidate], dfs: dict[str, int], total: int) -> list[Candidate]:
    for c in candidates:
        score(q, c, dfs, total)
    return sorted(candidates, key=lambda c: (-c.score, c.id))
