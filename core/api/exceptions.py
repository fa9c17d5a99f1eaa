"""One JSON shape for every API error, and no 500 for bad input.

Every error body is `{"detail": message, "code": code, "errors": {field: [messages]}}`:
`detail` is a sentence for a person, `code` a stable word for a program, and `errors`
names each field concerned (`non_field_errors` for a problem with the whole request).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from core.exceptions import ConcurrentEditError

NON_FIELD = "non_field_errors"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the record.")
    default_code = "conflict"


def _flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """{"themes": {0: ["..."]}} becomes {"themes.0": ["..."]}: one list of texts per field."""
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
        return flat
    if isinstance(errors, list):
        if all(not isinstance(item, dict | list) for item in errors):
            return {prefix or NON_FIELD: [str(item) for item in errors]}
        flat = {}
        for index, value in enumerate(errors):
            if value:
                flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or NON_FIELD: [str(errors)]}


def _summary(errors: dict[str, list[str]]) -> str:
    parts = []
    for field, messages in errors.items():
        text = " ".join(messages)
        parts.append(text if field == NON_FIELD else f"{field}: {text}")
    return " ".join(parts) or gettext("The request is invalid.")


def _code_of(detail) -> str:
    codes = detail.get_codes() if hasattr(detail, "get_codes") else None
    while isinstance(codes, dict | list) and codes:
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return codes if isinstance(codes, str) else "invalid"


def _conflict_response(exc: ConcurrentEditError, context) -> Response:
    view = context.get("view")
    current = view.represent(exc.current) if hasattr(view, "represent") else None
    return Response(
        {
            "detail": exc.messages[0],
            "code": "concurrent_edit",
            "errors": {},
            "changes": {
                field: {"seen": seen, "current": now} for field, (seen, now) in exc.changes.items()
            },
            "current": current,
        },
        status=status.HTTP_409_CONFLICT,
    )


def api_exception_handler(exc, context):
    if isinstance(exc, ConcurrentEditError):
        return _conflict_response(exc, context)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(gettext("Not found: no such record, or not one you may see."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = Conflict(
            gettext("Other records still refer to this one; change or remove them first.")
        )
    elif isinstance(exc, IntegrityError):
        # Validation catches these first; a concurrent write can still reach the database.
        exc = Conflict(
            gettext(
                "The change conflicts with data saved at the same time (a duplicate or a "
                "record referred to elsewhere). Reload and try again."
            )
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        response.data = {"detail": _summary(errors), "code": _code_of(exc.detail), "errors": errors}
    else:
        response.data = {
            "detail": str(exc.detail),
            "code": getattr(exc.detail, "code", None) or exc.default_code,
            "errors": {},
        }
    return response
