"""The OpenAPI schema is built with the three routers under their Chinese tags."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_lists_parts_returns_and_approvals() -> None:
    from aftersales.api import api

    schema = api.get_openapi_schema()
    ours = [
        p
        for p in schema["paths"]
        if p.split("/")[3] in {"parts", "returns", "approvals", "credit-notes"}
    ]
    assert len(ours) > 20
    tags = {t for p in schema["paths"].values() for op in p.values() for t in op.get("tags", [])}
    assert {"补件", "退货", "审批"} <= tags
