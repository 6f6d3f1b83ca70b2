"""Progress of a long import, visible to the polling page while the work is still running.

Validation runs outside any transaction, so progress is a plain update. The import itself is
one transaction (all or nothing), whose writes nobody else sees before it commits; its
progress therefore goes through a second, autocommit connection. The main transaction does not
touch the job row until its very end, so the two never wait on each other.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections

from aftersales.imports.models import ImportJob


class Progress:
    def __init__(
        self, job_id: int, total: int, *, enabled: bool = True, every: float = 0.5
    ) -> None:
        self.job_id = job_id
        self.total = total
        self.enabled = enabled
        self.every = every
        self._last = 0.0
        self._side: Any = None

    def __call__(self, done: int, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.every:
            return
        self._last = now
        done = min(done, self.total)
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job_id).update(
                progress_done=done, progress_total=self.total
            )
            return
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = ImportJob._meta.db_table
        with self._side.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" SET progress_done = %s, progress_total = %s WHERE id = %s',
                [done, self.total, self.job_id],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
