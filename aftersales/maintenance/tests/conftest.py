from __future__ import annotations

import pytest

from aftersales.maintenance.tests import world


@pytest.fixture
def w(db):  # type: ignore[no-untyped-def]
    return world.build()
