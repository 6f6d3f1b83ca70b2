"""Domain errors: a machine code, a Chinese message, an HTTP status. Raised by services and
selectors, mapped to ``{code, message}`` by the API and to messages by the web views."""

from __future__ import annotations

from typing import Any

from aftersales.core.said import say


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        details: Any = None,
    ) -> None:
        message = say(message)  # in the requester's language (core.said)
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.details is not None:
            body["details"] = self.details
        return body


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def __init__(self, message: str = "记录不存在或无权查看", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"

    def __init__(self, message: str = "无权执行此操作", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class InvalidTransition(DomainError):
    status = 409
    code = "invalid_transition"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class NeedsConfirmation(Conflict):
    """A warning before saving (9#10): the change is allowed, but only once the user has
    confirmed it — the caller repeats the request with ``confirm_late`` set."""

    code = "needs_confirmation"

    def __init__(self, message: str, **kwargs: Any) -> None:
        kwargs.setdefault("field", "confirm_late")
        super().__init__(message, **kwargs)


def from_django_validation(exc: Any) -> ValidationFailed:
    """Turn a Django ``ValidationError`` into our error with per-field Chinese messages."""
    if hasattr(exc, "message_dict"):
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        first_field, msgs = next(iter(fields.items()))
        label = "" if first_field == "__all__" else f"{first_field}: "
        return ValidationFailed(
            f"{label}{msgs[0]}",
            field=None if first_field == "__all__" else first_field,
            details=fields,
        )
    return ValidationFailed("；".join(str(m) for m in exc.messages))
