"""Short in-process caches for reference data read on every request and edited a few times a
year (SLA policies, the business calendar, notification channel switches, warranty
policies): kept ``seconds`` per process and
dropped in this process as soon as one of the ``models`` is saved or deleted. Other
processes see an edit within ``seconds``."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

_ALL: list[TimedCache[Any]] = []


class TimedCache(Generic[T]):
    def __init__(self, *models: Any, m2m: tuple[Any, ...] = (), seconds: float = 60.0) -> None:
        """Dropped when a row of ``models`` is saved or deleted, or a relation of the ``m2m``
        through tables changes; ``clear()`` for changes made without signals."""
        self.seconds = seconds
        self._rows: dict[Hashable, tuple[float, T]] = {}
        self._lock = threading.Lock()
        for model in models:
            post_save.connect(self._drop, sender=model, weak=False)
            post_delete.connect(self._drop, sender=model, weak=False)
        for through in m2m:
            m2m_changed.connect(self._drop, sender=through, weak=False)
        _ALL.append(self)

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            hit = self._rows.get(key)
        if hit is not None and now - hit[0] < self.seconds:
            return hit[1]
        value = load()
        with self._lock:
            self._rows[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()

    def _drop(self, **_: Any) -> None:
        self.clear()


def clear_all() -> None:
    """Every timed cache of this process (tests: no cached row outlives its test)."""
    for cache in _ALL:
        cache.clear()
