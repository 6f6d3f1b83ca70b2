"""Chinese text helpers: pinyin initials for search, word segmentation."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=20000)
def initials(text: str) -> str:
    """``"上海华建"`` → ``"shhj"``: first letters of the pinyin, letters and digits kept."""
    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(p[:1] for p in "".join(parts).lower() if p.isalnum())[:50]


def tokens(text: str) -> list[str]:
    """Words of a Chinese text (rjieba), for search and similarity."""
    import rjieba

    return [t for t in rjieba.cut(text) if t.strip()]
