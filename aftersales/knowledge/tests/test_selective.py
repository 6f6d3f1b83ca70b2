"""The candidate query's keys within the row budget (``engine.selective``, pure): a small
collection takes every selective key as before; a large one is held to the budget, codes
first, the query's own words before a synonym group's other wordings."""

from __future__ import annotations

from aftersales.knowledge.search import engine


def test_under_the_budget_every_selective_key_is_taken_rarest_first() -> None:
    kinds = {"空调": "word", "kon_tiao": "bigram", "#E4": "code"}
    dfs = {"空调": 30, "kon_tiao": 20, "#E4": 5}
    assert engine.selective(list(kinds), kinds, dfs, 240) == ["#E4", "kon_tiao", "空调"]
    assert engine.selective(list(kinds), kinds, dfs, 240, budget=None) == [
        "#E4",
        "kon_tiao",
        "空调",
    ]


def test_over_the_budget_the_weightiest_keys_that_fit() -> None:
    kinds = {
        "#E4": "code",
        "不制冷": "word",
        "bu_zi": "bigram",
        "不凉": "expansion",
        "制冷": "word",
    }
    dfs = {"#E4": 2500, "不制冷": 400, "bu_zi": 350, "不凉": 300, "制冷": 9000}
    total = 100_000
    chosen = engine.selective(list(kinds), kinds, dfs, total, budget=3000)
    # the code first; then the word (weight 1.0) before the rarer bigram and expansion; the
    # common word would overrun the budget and is left to the re-ranking
    assert chosen == ["#E4", "不制冷"]
    assert sum(dfs[k] for k in chosen) <= 3000
    wide = engine.selective(list(kinds), kinds, dfs, total, budget=None)
    assert set(wide) == {"#E4", "不制冷", "bu_zi", "不凉", "制冷"}
    assert engine.selective(list(kinds), kinds, dfs, total, budget=4000) == [
        "#E4",
        "不制冷",
        "bu_zi",
        "不凉",
    ]


def test_the_first_key_is_taken_even_over_the_budget() -> None:
    kinds = {"黑屏": "word"}
    assert engine.selective(["黑屏"], kinds, {"黑屏": 8000}, 100_000, budget=3000) == ["黑屏"]
