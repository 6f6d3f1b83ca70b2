from __future__ import annotations

import pytest

from aftersales.knowledge.tests.helpers import World, build


@pytest.fixture
def kb(db) -> World:  # type: ignore[no-untyped-def]
    return build()
