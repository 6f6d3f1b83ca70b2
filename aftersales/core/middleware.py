"""Bad input answered at the door, for the web pages and the API alike.

- A NUL byte anywhere in the path, the query, a form field or a JSON body cannot be stored
  or searched in PostgreSQL: refused with 400 before any view runs.
- A value the database refuses (``DataError``: a number out of range, a text too long) that
  slipped past the schemas: 400 with a Chinese message instead of a server error.
- A ``DomainError`` that no view caught: its own status and Chinese message.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape

from aftersales.core.errors import DomainError
from aftersales.core.said import Said

log = logging.getLogger(__name__)

NUL_MESSAGE = "输入含有不允许的控制字符（NUL），请删除后重试"
DATA_MESSAGE = "输入的值超出允许范围（数字过大或文字过长），未作任何修改"


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def _keep_body(request: HttpRequest) -> None:
    """Read a small form body into ``request.body`` before parsing ``request.POST`` from it,
    so that a view which reads the body afterwards (an API body parameter) still can —
    parsing the stream first made it raise RawPostDataException (a 500). Large uploads
    stay streamed."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or length <= limit:
        request.body  # noqa: B018 - caches the body


def request_has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or _contains_nul(dict(request.GET.lists())):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        try:
            _keep_body(request)
            return _contains_nul(dict(request.POST.lists()))
        except Exception:  # a malformed body: the view's own parsing answers it
            return False
    if content_type.endswith("json"):
        try:
            return _contains_nul(json.loads(request.body or b"null"))
        except (ValueError, UnicodeDecodeError):
            return False
    return False


def refuse(request: HttpRequest, code: str, message: str, status: int) -> HttpResponse:
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"code": code, "message": message}, status=status)
    page = Said(
        '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>请求无效</title><main><h1>请求无效</h1><p>%(escape)s</p><p><a href="javascript:history.back()">返回</a></p></main></html>',
        escape=escape(message),
    )
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


class BadInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_has_nul(request):
            return refuse(request, "invalid_characters", NUL_MESSAGE, 400)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, DataError):
            log.warning("DataError on %s %s: %s", request.method, request.path, exc)
            return refuse(request, "invalid_value", DATA_MESSAGE, 400)
        if isinstance(exc, DomainError):
            return refuse(request, exc.code, exc.message, exc.status)
        return None
