"""REST API for the national templates (seed 000 §3.4.2): everyone signed in reads the
published and archived versions; national admins open, change (with `version`), publish and set
aside drafts. Anyone else's write is answered 403."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from oversight.api import ConflictSerializer

from . import selectors, services
from .models import TEMPLATE_KINDS, NationalTemplateVersion
from .permissions import require_template_manager


class TemplateVersionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="template.kind", read_only=True)

    class Meta:
        model = NationalTemplateVersion
        fields = [
            "id",
            "kind",
            "number",
            "status",
            "body",
            "change_summary",
            "published_at",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class TemplateDraftSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TEMPLATE_KINDS)
    body = serializers.CharField(
        required=False,
        help_text="The draft's text; left out, it starts from the current published version.",
    )
    change_summary = serializers.CharField(max_length=300, required=False, default="")


class TemplateChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    body = serializers.CharField(required=False)
    change_summary = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TemplateActionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class NationalTemplateVersionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The national drafts of the terms of reference and collaboration agreement, every version.
    Drafts are listed to national admins only."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = TemplateVersionSerializer
    filterset_fields = ["status", "template__kind"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.template_versions_for_api(self.request.user).none()
        return selectors.template_versions_for_api(self.request.user)

    @extend_schema(
        request=TemplateDraftSerializer,
        responses={201: TemplateVersionSerializer, 409: ConflictSerializer},
    )
    def create(self, request):
        require_template_manager(request.user)
        wanted = TemplateDraftSerializer(data=request.data)
        wanted.is_valid(raise_exception=True)
        version = services.template_draft_create(by=request.user, **wanted.validated_data)
        return Response(TemplateVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=TemplateChangeSerializer,
        responses={200: TemplateVersionSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk=None):
        require_template_manager(request.user)
        current = self.get_object()
        changes = TemplateChangeSerializer(data=request.data)
        changes.is_valid(raise_exception=True)
        data = dict(changes.validated_data)
        if set(data) == {"version"}:
            raise ValidationError({"body": ["Send the text or the summary to change."]})
        updated = services.template_draft_update(
            by=request.user, template_version=current, version=data.pop("version"), **data
        )
        return Response(TemplateVersionSerializer(updated).data)

    def _act(self, request, service):
        require_template_manager(request.user)
        current = self.get_object()
        answer = TemplateActionSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        done = service(
            by=request.user, template_version=current, version=answer.validated_data["version"]
        )
        return Response(TemplateVersionSerializer(done).data)

    @extend_schema(
        request=TemplateActionSerializer,
        responses={200: TemplateVersionSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._act(request, services.template_publish)

    @extend_schema(
        request=TemplateActionSerializer,
        responses={200: TemplateVersionSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return self._act(request, services.template_draft_archive)
