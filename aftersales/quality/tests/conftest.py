from __future__ import annotations

import pytest

from aftersales.quality.tests.helpers import world


@pytest.fixture
def w(db):  # type: ignore[no-untyped-def]
    return world()
