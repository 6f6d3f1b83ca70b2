"""Finding 8#3: the reader reads the sheet's real extent, not the size its ``<dimension>`` tag
claims (any program can write a wrong one)."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest

from aftersales.imports.models import ImportJob
from aftersales.imports.reader import count_rows

from .helpers import api, api_upload, headers, xlsx

pytestmark = pytest.mark.django_db

EQ = headers("equipment")


def lying(content: bytes, ref: str = "A1:B2") -> bytes:
    """``content`` with the first sheet's ``<dimension>`` rewritten to claim ``ref``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data
                )
                assert n == 1
            dst.writestr(item, data)
    return out.getvalue()


def rows(n: int) -> list[list[Any]]:
    values = {"型号": "LED-P3", "数量": 1, "项目编号": "S001", "验收日期": "2024-05-01"}
    return [[{**values, "出厂编号": f"DIM-{i}"}.get(h) for h in EQ] for i in range(n)]


def test_a_file_claiming_one_row_imports_all_of_them(world: dict[str, Any], settings: Any) -> None:
    settings.IMPORT_INLINE_MAX_ROWS = 500
    content = lying(xlsx(EQ, rows(120)))
    assert count_rows(io.BytesIO(content)) == 120
    client, auth = api(world["coordinator"])
    body = api_upload(client, auth, "equipment", content).json()
    assert body["status"] == "validated", body
    assert (body["total_rows"], body["to_create"], body["error_rows"]) == (120, 120, 0)


def test_a_lying_big_file_still_goes_to_the_background(
    world: dict[str, Any], settings: Any
) -> None:
    settings.IMPORT_INLINE_MAX_ROWS = 50
    content = lying(xlsx(EQ, rows(80)))
    assert count_rows(io.BytesIO(content), stop_after=50) == 51  # stops counting past the cap
    client, auth = api(world["coordinator"])
    body = api_upload(client, auth, "equipment", content).json()
    assert body["background"] is True
    assert ImportJob.objects.get(pk=body["id"]).background is True
