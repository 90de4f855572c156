"""REST API for governance documents: read every version; hub staff draft and agree (text)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from oversight.permissions import groups_visible_to

from . import selectors, services
from .models import DocumentVersion, GovernanceDocument
from .permissions import require_document_manager


class DocumentVersionSerializer(serializers.ModelSerializer):
    group = serializers.IntegerField(source="document.group_id", read_only=True)
    kind = serializers.CharField(source="document.kind", read_only=True)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "group",
            "kind",
            "number",
            "status",
            "body",
            "has_file",
            "change_summary",
            "quorum_chair_or_vice_required",
            "quorum_min_ccg_members",
            "agreed_on",
            "agreed_at_meeting",
            "from_template",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_has_file(self, version: DocumentVersion) -> bool:
        return bool(version.file)


class DraftSerializer(serializers.Serializer):
    group = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = serializers.ChoiceField(choices=GovernanceDocument.Kind.choices)
    body = serializers.CharField(
        required=False,
        help_text=(
            "The draft's text. Left out, it starts from the group's latest version of the "
            "document, or for a first draft from the current national template (recorded in "
            "`from_template`)."
        ),
    )
    change_summary = serializers.CharField(max_length=300, required=False, default="")
    quorum_chair_or_vice_required = serializers.BooleanField(required=False, default=True)
    quorum_min_ccg_members = serializers.IntegerField(
        min_value=0, max_value=50, required=False, default=3
    )


class AgreeSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    agreed_on = serializers.DateField()
    agreed_at_meeting = serializers.CharField(max_length=200)


class DocumentVersionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Every version of the groups' terms of reference and collaboration agreements."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = DocumentVersionSerializer
    filterset_fields = ["status", "document__kind", "document__group"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.versions_for_api(self.request.user).none()
        return selectors.versions_for_api(self.request.user)

    @extend_schema(request=DraftSerializer, responses={201: DocumentVersionSerializer})
    def create(self, request):
        wanted = DraftSerializer(data=request.data)
        wanted.is_valid(raise_exception=True)
        data = dict(wanted.validated_data)
        group = groups_visible_to(request.user).filter(pk=data.pop("group")).first()
        if group is None:
            raise ValidationError({"group": ["No such oversight group."]})
        require_document_manager(request.user, group, doing="draft")
        data.setdefault("body", None)  # None: start from the latest version or the template
        version = services.version_draft_create(by=request.user, group=group, **data)
        return Response(DocumentVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AgreeSerializer, responses={200: DocumentVersionSerializer})
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        version = self.get_object()
        require_document_manager(request.user, version.document.group, doing="agree")
        answer = AgreeSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        data = dict(answer.validated_data)
        agreed = services.version_agree(
            by=request.user, version_obj=version, version=data.pop("version"), **data
        )
        return Response(DocumentVersionSerializer(agreed).data)
