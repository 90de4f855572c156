"""The step every API write shares: validate the body. (A service's refusal needs no helper:
the one exception handler, commissioning.api_errors, answers it.)"""


def valid(serializer_class, request, **kwargs) -> dict:
    """The request body, validated by `serializer_class` (400 with field errors if not)."""
    body = serializer_class(data=request.data, **kwargs)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)
