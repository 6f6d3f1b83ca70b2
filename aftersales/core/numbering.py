"""Human-readable document numbers: PREFIX + yyyymmdd + '-' + 4-digit daily counter."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone


def next_number(prefix: str, *, on: dt.datetime | None = None) -> str:
    """Allocate the next number atomically (an upsert, so concurrent callers never collide).

    Runs in the caller's transaction: a rolled-back document gives its number back.
    """
    day = timezone.localdate(on or timezone.now())
    with connection.cursor() as cur:  # one statement: atomic on its own, no savepoint needed
        cur.execute(
            """
            INSERT INTO core_documentsequence (prefix, day, last) VALUES (%s, %s, 1)
            ON CONFLICT (prefix, day) DO UPDATE SET last = core_documentsequence.last + 1
            RETURNING last
            """,
            [prefix, day],
        )
        (last,) = cur.fetchone()
    return f"{prefix}{day:%Y%m%d}-{last:04d}"
