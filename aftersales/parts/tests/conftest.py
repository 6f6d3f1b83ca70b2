from __future__ import annotations

import pytest

from aftersales.approvals.testing import build


@pytest.fixture
def w(db):  # type: ignore[no-untyped-def]
    return build()
