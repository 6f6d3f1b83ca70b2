from __future__ import annotations

from typing import Any

import pytest

from aftersales import testing as t
from aftersales.service.tests.conftest import build_world


@pytest.fixture
def world(db: Any) -> Any:
    w = build_world()
    w.finance = t.user("finance", username="fin")
    return w
