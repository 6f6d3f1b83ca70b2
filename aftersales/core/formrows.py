"""The rows of a multi-line form (补件明细、退货明细…), read back from the POST so that a form
shown again after an error keeps every row as typed (9#4) — blank rows included, so the
row numbers in an error message match what the user sees."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import QueryDict

Row = dict[str, str | bool]


def posted_rows(
    post: QueryDict, names: Sequence[str], *, flags: Sequence[str] = (), minimum: int = 0
) -> list[Row]:
    """One dict per row: each text field by name, each checkbox in ``flags`` (whose value is
    the row's index) as a bool; padded with empty rows up to ``minimum``."""
    lists = {n: post.getlist(n) for n in names}
    count = max((len(v) for v in lists.values()), default=0)
    rows: list[Row] = []
    for i in range(max(count, minimum)):
        row: Row = {n: (lists[n][i].strip() if i < len(lists[n]) else "") for n in names}
        for f in flags:
            row[f] = str(i) in post.getlist(f)
        rows.append(row)
    return rows


def filled(rows: list[Row], names: Sequence[str]) -> list[tuple[int, Row]]:
    """The rows with anything typed in one of ``names``, with their 1-based row number —
    a row with a quantity but no code is kept, so the service can say what is missing
    instead of dropping the row unnoticed."""
    return [(n, r) for n, r in enumerate(rows, start=1) if any(r[k] for k in names)]
