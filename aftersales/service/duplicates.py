"""Is a new request the same fault as an open ticket? (SPEC §3.1 duplicate guard.)

Pure rule, no ORM: the guard passes the open tickets' category and description.

* On the same equipment an open ticket is the same fault unless both name a fault
  category and the categories differ — descriptions of one fault vary too much
  (「不制冷」/「吹出来的风不凉」) to let wording alone tell two faults apart.
* Without equipment, a customer's (or site's) open ticket is the same fault when the
  categories agree, or the descriptions share most of their characters: the character-
  bigram overlap of the shorter text is at least ``SIMILAR_AT``.

Either way the caller may still register it as a different fault by saying why.
"""

from __future__ import annotations

import re

SIMILAR_AT = 0.5
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    return _NOISE.sub("", text or "").lower()


def _grams(text: str) -> set[str]:
    t = normalise(text)
    if len(t) < 2:
        return {t} if t else set()
    return {t[i : i + 2] for i in range(len(t) - 1)}


def similarity(a: str, b: str) -> float:
    """Share of the shorter text's character bigrams found in the other (0–1)."""
    ga, gb = _grams(a), _grams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / min(len(ga), len(gb))


def same_fault_on_equipment(new_category: str, old_category: str) -> bool:
    return not (new_category and old_category and new_category != old_category)


def same_fault_for_customer(
    new_category: str, new_description: str, old_category: str, old_description: str
) -> bool:
    if new_category and old_category:
        return new_category == old_category
    return similarity(new_description, old_description) >= SIMILAR_AT
