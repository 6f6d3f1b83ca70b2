"""Pure text functions of the search: no ORM, no cache, no clock.

A text becomes *keys*: Chinese words of the segmentation (``制冷``), pinyin syllable bigrams
with the usual fuzzy pairs merged (``zi_len`` for 制冷 / 至冷 / 之冷: homophone typos), and
codes (``#E4``, ``#CLMDV280``: error codes and model numbers, matched exactly)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

from pypinyin import lazy_pinyin

HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
ASCII_RUN = re.compile(r"[a-z0-9][a-z0-9.\-_/+]*")
SPLIT_CODE = re.compile(r"[.\-_/+]+")
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "有",
        "我",
        "你",
        "他",
        "她",
        "它",
        "我们",
        "你们",
        "他们",
        "这",
        "那",
        "这个",
        "那个",
        "一下",
        "一直",
        "一个",
        "怎么",
        "怎么办",
        "什么",
        "就是",
        "然后",
        "还是",
        "请问",
        "师傅",
        "你好",
        "您好",
        "喂",
        "啊",
        "吗",
        "呢",
        "吧",
        "呀",
        "哦",
        "嗯",
        "麻烦",
        "帮忙",
        "看看",
        "现在",
        "今天",
        "昨天",
        "早上",
        "晚上",
        "下午",
        "上午",
        "时候",
        "有点",
        "有些",
        "一点",
        "好像",
        "感觉",
        "可能",
        "已经",
        "还有",
        "就",
        "都",
        "也",
        "又",
        "很",
        "太",
        "不知道",
        "怎么回事",
        "咋回事",
        "咋办",
        "咋",
        "么",
        "啥",
        "出现",
        "问题",
        "情况",
        "我们这",
        "我家",
        "我们家",
        "这边",
        "那边",
        "这里",
        "那里",
        "总是",
        "老是",
        "经常",
        "突然",
        "时不时",
        "一会儿",
        "一会",
        "过来",
        "处理",
        "帮",
        "给",
        "把",
        "被",
        "让",
        "说",
        "想",
        "要",
        "能",
        "会",
        "可以",
        "没法",
        "怎样",
        # colloquial fillers of phone descriptions
        "一样",
        "很多",
        "好多",
        "出来",
        "起来",
        "下去",
        "东西",
        "地方",
        "那种",
        "这种",
        "比较",
        "特别",
        "非常",
        "有时候",
        "一下子",
        "那么",
        "这么",
        "的话",
        "其他",
        "别的",
    ]
)
Segmenter = Callable[[str], list[str]]


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, one space between pieces."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.sub(r"\s+", " ", text).strip()


def _code_key(token: str) -> str:
    """``E04`` → ``E4``; ``cl-mdv-280`` → ``CLMDV280``."""
    flat = SPLIT_CODE.sub("", token).upper()
    m = re.fullmatch(r"([A-Z]{1,3})0*(\d{1,3})", flat)
    if m:
        return m.group(1) + (m.group(2) or "0")
    return flat


def codes(text: str) -> list[str]:
    """Error codes and model numbers in ``text`` (a letter and a digit, three digits, or
    hyphenated letters such as ``MC-SUN-SR``), with the parts of a hyphenated model number
    that are codes themselves: ``HX-P2.5-I`` → HXP25I, P25."""
    out: list[str] = []
    for m in ASCII_RUN.finditer(normalize(text)):
        token = m.group().strip(".-_/+")
        candidates = [token] + [p for p in re.split(r"[-_/+]", token) if p and p != token]
        for c in candidates:
            has_letter = any(ch.isalpha() for ch in c)
            has_digit = any(ch.isdigit() for ch in c)
            # a model number without a digit: letters in two or more hyphenated parts
            lettered = c is token and "-" in c and len(SPLIT_CODE.sub("", c)) >= 5
            if (has_letter and has_digit) or (c.isdigit() and len(c) >= 3) or lettered:
                key = _code_key(c)
                if key and key not in out:
                    out.append(key)
    return out


_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))
_FUZZY_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))


@lru_cache(maxsize=50000)
def syllable(char: str) -> str:
    """The fuzzy pinyin of one character: zh/z, ch/c, sh/s, n/l, -ing/-in, -eng/-en, -ang/-an
    merged, the common mix-ups of typing by sound."""
    py = lazy_pinyin(char)[0].lower()
    for a, b in _FUZZY_INITIALS:
        if py.startswith(a):
            py = b + py[len(a) :]
            break
    if py.startswith("n") and not py.startswith("ng"):
        py = "l" + py[1:]
    for a, b in _FUZZY_FINALS:
        if py.endswith(a):
            py = py[: -len(a)] + b
            break
    return py


def syllable_runs(text: str) -> list[list[str]]:
    """Fuzzy syllables of each run of Chinese characters."""
    return [[syllable(ch) for ch in run] for run in HAN_RUN.findall(normalize(text))]


def pinyin_line(text: str) -> str:
    """`` kon tiao bu zi len | fen bu lian `` — runs separated, padded, for phrase tests."""
    runs = syllable_runs(text)
    return " " + " | ".join(" ".join(r) for r in runs) + " " if runs else " "


def phrase(term: str) -> str:
    """The padded syllables of a term, to test with ``in`` against a ``pinyin_line``."""
    runs = syllable_runs(term)
    return " " + " ".join(s for r in runs for s in r) + " "


def bigrams(text: str) -> list[str]:
    out: list[str] = []
    for run in syllable_runs(text):
        for a, b in itertools.pairwise(run):
            key = f"{a}_{b}"
            if key not in out:
                out.append(key)
    return out


def words(text: str, segment: Segmenter) -> list[str]:
    """Chinese words of two characters or more, without stop words."""
    out: list[str] = []
    for token in segment(normalize(text)):
        token = token.strip()
        if len(token) < 2 or not HAN_RUN.fullmatch(token) or token in STOPWORDS:
            continue
        if token not in out:
            out.append(token[:40])
    return out


def keys(text: str, segment: Segmenter) -> list[str]:
    """Every search key of a text: words, pinyin bigrams, ``#`` codes."""
    out = words(text, segment) + bigrams(text) + [f"#{c}"[:60] for c in codes(text)]
    return list(dict.fromkeys(out))


def char_bigrams(text: str) -> set[str]:
    """Character bigrams of the Chinese runs and the ASCII tokens (for the overlap measure)."""
    norm = normalize(text)
    grams = {run[i : i + 2] for run in HAN_RUN.findall(norm) for i in range(max(len(run) - 1, 1))}
    grams |= {m.group() for m in ASCII_RUN.finditer(norm)}
    return grams


STOP_CHARS = frozenset("的了是在和有我你他她它这那个一不也都就很吗呢吧啊呀哦嗯么啥")


def char_grams(text: str) -> tuple[set[str], set[str]]:
    """The character bigrams (with ASCII tokens) and the single characters of a query,
    without the stop characters, for the overlap measure."""
    norm = normalize(text)
    singles = {ch for run in HAN_RUN.findall(norm) for ch in run if ch not in STOP_CHARS}
    return char_bigrams(text), singles


def coverage(query_grams: tuple[set[str], set[str]], doc: str) -> float:
    """The share of the query's character bigrams found in ``doc``, averaged with the share
    of its single characters (箱子 / 箱体 still share 箱)."""
    pairs, singles = query_grams
    shares = [sum(1 for g in grams if g in doc) / len(grams) for grams in (pairs, singles) if grams]
    return sum(shares) / len(shares) if shares else 0.0


def dice(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return 2 * len(sa & sb) / (len(sa) + len(sb))
