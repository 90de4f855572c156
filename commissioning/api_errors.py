"""The one place the API turns a service's refusal into an HTTP answer (wired as
REST_FRAMEWORK["EXCEPTION_HANDLER"]).

- ConflictError (a stale `version`) → 409 with `detail` and `current_version`;
- NotAllowed → 403; StateConflict → 409;
- any other RuleError → 400, keyed by its field (or `non_field_errors`), with every refusal
  it carries (`errors`, see errors.raise_all).

A view whose API field names differ from the service's names them in `error_field_names`
(e.g. `{"ccg": "ccgs"}`). Everything else falls through to DRF's own handler (validation,
authentication, PermissionDenied and Http404).
"""

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .concurrency import ConflictError
from .errors import NotAllowed, RuleError, StateConflict


def handle(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ConflictError):
        return Response(
            {"detail": exc.message, "current_version": exc.current.version},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, NotAllowed):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, StateConflict):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RuleError):
        names = getattr(context.get("view"), "error_field_names", {}) or {}
        detail: dict[str, list[str]] = {}
        for error in exc.errors:  # every refusal the check found, each by its field
            field = names.get(error.field, error.field) if error.field else "non_field_errors"
            detail.setdefault(field, []).append(str(error))
        exc = ValidationError(detail)
    return exception_handler(exc, context)
