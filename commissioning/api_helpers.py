"""The two steps every API write shares: validate the body, and turn a service's refusal into
the documented answer (400 beside the field, or 409 with the current version)."""

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .concurrency import ConflictError


def valid(serializer_class, request, **kwargs) -> dict:
    """The request body, validated by `serializer_class` (400 with field errors if not)."""
    body = serializer_class(data=request.data, **kwargs)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def refused(error):
    """A stale version → 409 with the current version; a broken rule → 400 on its field."""
    if isinstance(error, ConflictError):
        return Response(
            {"detail": error.message, "current_version": error.current.version},
            status=status.HTTP_409_CONFLICT,
        )
    raise ValidationError({error.field or "non_field_errors": [str(error)]})
