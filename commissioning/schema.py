"""OpenAPI schema generation: every operation documents the errors it can answer with."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    """Field name (or non_field_errors) to the messages about it."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {"401": ErrorSerializer, "403": ErrorSerializer}
        if self.method in ("POST", "PUT", "PATCH") or self._has_query_filters():
            errors["400"] = ValidationErrorSerializer
        if self.method in ("POST", "PUT", "PATCH"):
            # A body with no content type, or one no parser reads, is refused before the view.
            errors["415"] = ErrorSerializer
        if "{" in self.path:
            errors["404"] = ErrorSerializer
        if self.method == "POST" and "{" in self.path:
            errors["409"] = ErrorSerializer
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            errors["405"] = ErrorSerializer
        for code, serializer in errors.items():
            responses.setdefault(code, self._get_response_for_code(serializer, code))
        return responses

    def _has_query_filters(self) -> bool:
        view = self.view
        return (
            bool(getattr(view, "filterset_class", None) or getattr(view, "filterset_fields", None))
            or getattr(view, "pagination_class", None) is not None
        )
