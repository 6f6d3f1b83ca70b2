"""API plumbing shared by every domain router: authentication, error mapping, pagination."""

from __future__ import annotations

from typing import Any

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from aftersales.core.errors import DomainError


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from aftersales.accounts.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), django_auth]

_FIELD_ERRORS = {
    "missing": "必填",
    "string_too_long": "过长",
    "int_parsing": "应为整数",
    "decimal_parsing": "应为数字（金额不要带逗号）",
    "float_parsing": "应为数字",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式无效",
    "greater_than_equal": "不能小于下限",
    "greater_than": "必须大于下限",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "json_invalid": "JSON格式错误",
    "less_than_equal": "超出上限",
    "less_than": "超出上限",
    "too_long": "过多",
    "string_too_short": "过短",
    "timezone_required": "时间须带时区（如 2026-11-23T09:00+08:00）",
    "datetime_from_date_parsing": "时间格式无效",
    "bool_parsing": "应为 true 或 false",
    "model_attributes_type": "应为对象",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "uuid_parsing": "格式无效",
}


def _field_message(err: dict[str, Any]) -> str:
    loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "payload", "query", "path")]
    what = _FIELD_ERRORS.get(str(err.get("type", "")), err.get("msg", "无效"))
    return f"{'.'.join(loc) or '请求'}: {what}"


ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "机器可读的错误码"},
        "message": {"type": "string", "description": "中文错误信息"},
        "field": {"type": "string"},
        "details": {},
    },
    "required": ["code", "message"],
}


def document_errors(api: NinjaAPI) -> None:
    """Every operation documents its error answers: ``4XX`` with ``{code, message}``."""
    build = api.get_openapi_schema

    def with_errors(*args: Any, **kwargs: Any) -> Any:
        schema = build(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"$ref": "#/components/schemas/Error"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.setdefault("responses", {}).setdefault(
                    "4XX",
                    {
                        "description": "请求无效、未登录、无权或记录不存在：`{code, message}`",
                        "content": {"application/json": {"schema": ref}},
                    },
                )
        return schema

    api.get_openapi_schema = with_errors  # type: ignore[method-assign]


@csrf_exempt
def no_such_endpoint(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any /api/ address no operation matches (a wrong path, ``/tickets/abc``): the API's
    ``{code, message}`` 404, not the web site's HTML page."""
    return JsonResponse({"code": "not_found", "message": "接口地址不存在"}, status=404)


def install_error_handlers(api: NinjaAPI) -> None:
    document_errors(api)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        messages = [_field_message(e) for e in exc.errors]
        return api.create_response(
            request,
            {
                "code": "validation_failed",
                "message": "请求参数无效：" + "；".join(messages),
                "details": exc.errors,
            },
            status=422,
        )

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        from aftersales.core.middleware import DATA_MESSAGE

        return api.create_response(
            request, {"code": "invalid_value", "message": DATA_MESSAGE}, status=400
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request,
            {"code": "unauthenticated", "message": "请先登录或提供有效的API令牌"},
            status=401,
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(
            request, {"code": "not_found", "message": "记录不存在或无权查看"}, status=404
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(
            request, {"code": "http_error", "message": str(exc)}, status=exc.status_code
        )
