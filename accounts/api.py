"""REST API for the current user and, for national admins, role assignments."""

from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from hubs import selectors as hub_selectors

from . import selectors, services
from .models import Role, RoleAssignment, SignIn, User
from .permissions import can_manage_roles, scopes


class CanManageRoles(permissions.BasePermission):
    message = "Only national admins manage people and roles."

    def has_permission(self, request, view) -> bool:
        return can_manage_roles(request.user)


class RoleAssignmentSerializer(serializers.ModelSerializer):
    user = serializers.EmailField(source="user.email", read_only=True)
    user_name = serializers.CharField(source="user.full_name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    hub = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    ccg = serializers.SlugRelatedField(slug_field="ods_code", read_only=True, allow_null=True)
    system = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    role_label = serializers.CharField(
        read_only=True,
        help_text='The role as pages name it: "ICB lead" for a `ccg_lead` whose organisation '
        "is an ICB. `role` keeps its stored value.",
    )
    label = serializers.CharField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "user",
            "user_name",
            "role",
            "role_label",
            "region",
            "hub",
            "ccg",
            "system",
            "label",
            "granted_at",
            "ended_at",
            "is_active",
        ]


class RoleGrantSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices)
    region = serializers.SlugRelatedField(
        slug_field="slug", queryset=hub_selectors.region_choices(), required=False, allow_null=True
    )
    hub = serializers.SlugRelatedField(
        slug_field="slug", queryset=hub_selectors.hub_choices(), required=False, allow_null=True
    )
    ccg = serializers.SlugRelatedField(
        slug_field="ods_code", queryset=hub_selectors.ccg_choices(), required=False, allow_null=True
    )
    system = serializers.PrimaryKeyRelatedField(
        queryset=hub_selectors.system_choices(),
        required=False,
        allow_null=True,
        help_text="The integrated care system's id, for the `ics_lead` role.",
    )


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "job_title", "roles"]

    def get_roles(self, user) -> list[dict]:
        return RoleAssignmentSerializer(scopes(user).assignments, many=True).data


class MeView(GenericAPIView):
    """The signed-in user and the roles they hold now."""

    serializer_class = MeSerializer

    def get(self, request):
        return Response(self.get_serializer(request.user).data)


class RoleAssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Role assignments (national admins only). Granting creates; ending keeps the record."""

    permission_classes = [permissions.IsAuthenticated, CanManageRoles]
    serializer_class = RoleAssignmentSerializer
    queryset = selectors.assignments_for_api()
    filterset_fields = ["role"]

    @extend_schema(request=RoleGrantSerializer, responses={201: RoleAssignmentSerializer})
    def create(self, request):
        grant = RoleGrantSerializer(data=request.data)
        grant.is_valid(raise_exception=True)
        data = dict(grant.validated_data)
        data.setdefault("full_name", "")
        assignment = services.role_grant(by=request.user, **data)
        return Response(RoleAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: RoleAssignmentSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        assignment = self.get_object()
        services.role_end(by=request.user, assignment=assignment)
        return Response(RoleAssignmentSerializer(assignment).data)


class SignInSerializer(serializers.ModelSerializer):
    user = serializers.EmailField(source="user.email", read_only=True, allow_null=True)
    user_name = serializers.CharField(source="user.full_name", read_only=True, allow_null=True)
    email = serializers.CharField(
        source="email_key", read_only=True, help_text="The address tried, as stored."
    )
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    browser = serializers.CharField(read_only=True, help_text='For example "Chrome on Windows".')

    class Meta:
        model = SignIn
        fields = [
            "id",
            "user",
            "user_name",
            "email",
            "at",
            "outcome",
            "outcome_label",
            "method",
            "ip_address",
            "browser",
        ]


class _NotCached:
    """Sign-ins are not kept in the API's read cache (nor a browser's): a sign-in does not
    bump the page cache's generation (commissioning/pagecache.py UNSHOWN)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


class SignInViewSet(_NotCached, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every sign-in, failed attempt, lock-out and sign-out, newest first (national admins
    only; issue 19). Filter with `?outcome=failure`."""

    permission_classes = [permissions.IsAuthenticated, CanManageRoles]
    serializer_class = SignInSerializer
    queryset = selectors.sign_ins()
    filterset_fields = ["outcome", "method"]


class MySignInsView(_NotCached, ListAPIView):
    """Your own latest 20 sign-ins, with failed attempts against your address (issue 19)."""

    serializer_class = SignInSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks without a user
            return selectors.sign_ins().none()
        return selectors.sign_ins_of(self.request.user)
