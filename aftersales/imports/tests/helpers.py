"""Small real workbooks and an authenticated API client for the import tests."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from aftersales.accounts.services import issue_token
from aftersales.imports.columns import SPECS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def headers(kind: str) -> list[str]:
    return SPECS[kind].headers


def upload_file(content: bytes, name: str = "导入.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def read_rows(content: bytes) -> list[tuple[Any, ...]]:
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def api(user: Any) -> tuple[Client, dict[str, str]]:
    _, key = issue_token(user=user)
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def api_upload(client: Client, auth: dict[str, str], kind: str, content: bytes) -> Any:
    return client.post("/api/v1/imports", {"kind": kind, "file": upload_file(content)}, **auth)
