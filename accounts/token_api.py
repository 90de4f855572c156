"""The signed-in person's own API tokens through the API (issue 19): list, create (its secret
in the 201 answer, once) and revoke. Nobody's tokens but one's own are reachable here (404)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from . import selectors, tokens
from .models import ApiToken

STATUSES = [("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")]


class ApiTokenSerializer(serializers.ModelSerializer):
    prefix = serializers.CharField(
        source="shown_prefix", read_only=True, help_text="How the token starts: cc_ and 8 more."
    )
    status = serializers.ChoiceField(choices=STATUSES, read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created_at",
            "last_used_at",
            "expires_on",
            "revoked_at",
            "status",
        ]
        read_only_fields = fields


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        read_only=True,
        help_text="The whole token, `cc_<prefix>_<secret>`: shown in this answer only.",
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    expires_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The last day the token works (Europe/London), today at the earliest and at "
        "most API_TOKEN_MAX_DAYS (365 by default) ahead; null or absent: until revoked.",
    )


class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your personal API tokens, every status, newest first. Revoked tokens are kept."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        return selectors.tokens_of(self.request.user)

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: ApiTokenCreatedSerializer})
    def create(self, request):
        """Make a token. Only when signed in (a session): a token never makes another, so a
        leaked token cannot outlive its own revocation (403)."""
        if request.auth is not None:
            raise PermissionDenied(
                "A token cannot create tokens: sign in and create one at /account/tokens/."
            )
        given = ApiTokenCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        token, secret = tokens.token_create(user=request.user, **given.validated_data)
        token.token = secret
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke the token at once (409 if it already was). A token may revoke itself."""
        token = self.get_object()
        tokens.token_revoke(token=token, by=request.user)
        return Response(ApiTokenSerializer(token).data)
