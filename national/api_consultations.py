"""REST API for consultations on CRG documents (issue 17, "What to build" 3 and 7), with the
pages' rules: national admins open, change, close early, extend and archive consultations and
read every response; people with a region, hub or CCG role read the consultations that have
opened and are not archived; hub staff answer for their open oversight group and CCG (ICB)
leads as their member CCG while a consultation is open; responses are read by national admins,
the region's team, the group's hub staff and its member CCGs' leads. Refusals are 400 by field
(403 when not theirs to make), a stale version or a closed consultation 409."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from commissioning.api_helpers import valid
from commissioning.schema import ErrorSerializer
from commissioning.serializers import LongTextField

from . import consultation_selectors as selectors
from . import consultations as services
from .api import NationalReadOnly
from .consultation_permissions import (
    get_consultation_for_user,
    get_response_for_user,
    get_slot_for_user,
)
from .models import Consultation, ConsultationResponse
from .permissions import require_keeper


class ConsultationSerializer(serializers.ModelSerializer):
    document = serializers.IntegerField(source="document_version.document_id", read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "crg",
            "document",
            "document_version",
            "title",
            "summary",
            "questions",
            "opens_on",
            "closes_on",
            "closed_early_on",
            "archived",
            "state",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=Consultation.State.choices))
    def get_state(self, obj: Consultation) -> str:
        return obj.state_on(timezone.localdate())


class ConsultationOpenSerializer(serializers.Serializer):
    document_version = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    summary = LongTextField()
    questions = LongTextField()
    opens_on = serializers.DateField(required=False)
    closes_on = serializers.DateField()


class ConsultationUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    summary = LongTextField(required=False)
    questions = LongTextField(required=False)
    version = serializers.IntegerField(min_value=1)


class ConsultationVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class ConsultationExtendSerializer(ConsultationVersionSerializer):
    closes_on = serializers.DateField()


class ResponseSerializer(serializers.ModelSerializer):
    ccg = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)
    hub = serializers.CharField(source="group.hub.slug", read_only=True)
    region = serializers.CharField(source="group.hub.region.slug", read_only=True)

    class Meta:
        model = ConsultationResponse
        fields = [
            "id",
            "consultation",
            "group",
            "ccg",
            "hub",
            "region",
            "position",
            "body",
            "submitted_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class ResponseWriteSerializer(serializers.Serializer):
    consultation = serializers.IntegerField()
    group = serializers.IntegerField(
        required=False, help_text="The oversight group answered for (hub staff)."
    )
    ccg = serializers.CharField(
        required=False, max_length=5, help_text="The ODS code of the CCG or ICB answered as."
    )
    position = serializers.ChoiceField(choices=ConsultationResponse.Position.choices)
    body = LongTextField()

    def validate(self, attrs):
        if ("group" in attrs) == ("ccg" in attrs):
            raise ValidationError(
                {"group": ["Name the oversight group (hub staff) or the CCG (its leads)."]}
            )
        return attrs


class ResponseUpdateSerializer(serializers.Serializer):
    position = serializers.ChoiceField(
        choices=ConsultationResponse.Position.choices, required=False
    )
    body = LongTextField(required=False)
    version = serializers.IntegerField(min_value=1)


class ConsultationViewSet(NationalReadOnly, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Consultations of the oversight groups on CRG drafts (national admins write)."""

    serializer_class = ConsultationSerializer
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return selectors.consultations_for_api(self.request.user, timezone.localdate())

    def _one(self, pk, *, write: bool = False) -> Consultation:
        return get_consultation_for_user(self.request.user, pk, timezone.localdate(), write=write)

    @extend_schema(
        request=ConsultationOpenSerializer,
        responses={201: ConsultationSerializer, 409: ErrorSerializer},
    )
    def create(self, request, *args, **kwargs):
        require_keeper(request.user)
        data = valid(ConsultationOpenSerializer, request)
        version = selectors.document_version(data.pop("document_version"))
        if version is None:
            raise ValidationError({"document_version": ["No such document version."]})
        data.setdefault("opens_on", timezone.localdate())
        consultation = services.consultation_open(by=request.user, document_version=version, **data)
        return Response(ConsultationSerializer(consultation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ConsultationUpdateSerializer,
        responses={200: ConsultationSerializer, 409: ErrorSerializer},
    )
    def update(self, request, *args, **kwargs):
        consultation = self._one(kwargs["pk"], write=True)
        data = valid(ConsultationUpdateSerializer, request)
        consultation = services.consultation_update(
            by=request.user, consultation=consultation, **data
        )
        return Response(ConsultationSerializer(consultation).data)

    @extend_schema(
        request=ConsultationVersionSerializer,
        responses={200: ConsultationSerializer, 409: ErrorSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close an open consultation early (today)."""
        consultation = self._one(pk, write=True)
        consultation = services.consultation_close(
            by=request.user,
            consultation=consultation,
            **valid(ConsultationVersionSerializer, request),
        )
        return Response(ConsultationSerializer(consultation).data)

    @extend_schema(
        request=ConsultationExtendSerializer,
        responses={200: ConsultationSerializer, 409: ErrorSerializer},
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Move the closing date later (reopening a consultation closed early)."""
        consultation = self._one(pk, write=True)
        consultation = services.consultation_extend(
            by=request.user,
            consultation=consultation,
            **valid(ConsultationExtendSerializer, request),
        )
        return Response(ConsultationSerializer(consultation).data)

    @extend_schema(
        request=ConsultationVersionSerializer,
        responses={200: ConsultationSerializer, 409: ErrorSerializer},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive (never delete): kept for national admins, out of everyone else's lists."""
        consultation = self._one(pk, write=True)
        consultation = services.consultation_archive(
            by=request.user,
            consultation=consultation,
            **valid(ConsultationVersionSerializer, request),
        )
        return Response(ConsultationSerializer(consultation).data)


class ConsultationResponseViewSet(
    NationalReadOnly, mixins.CreateModelMixin, mixins.UpdateModelMixin
):
    """Responses to consultations: an oversight group's (by its hub's staff) or a member CCG's
    or ICB's own (by its leads); `?consultation=<id>` for one consultation's."""

    serializer_class = ResponseSerializer
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        rows = selectors.responses_for_api(self.request.user)
        consultation = self.request.query_params.get("consultation", "")
        if self.action == "list" and consultation:
            if not consultation.isdigit():
                raise ValidationError({"consultation": ["Give a consultation's id."]})
            rows = rows.filter(consultation_id=int(consultation))
        return rows

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "consultation", int, description="A consultation's id.", required=False
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=ResponseWriteSerializer,
        responses={
            201: ResponseSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    def create(self, request, *args, **kwargs):
        data = valid(ResponseWriteSerializer, request)
        today = timezone.localdate()
        consultation = get_consultation_for_user(request.user, data["consultation"], today)
        slot = get_slot_for_user(
            request.user, consultation, today, group_pk=data.get("group"), ods=data.get("ccg", "")
        )
        response = services.response_submit(
            by=request.user,
            consultation=consultation,
            group=slot.group,
            ccg=slot.ccg,
            position=data["position"],
            body=data["body"],
        )
        return Response(
            ResponseSerializer(self.get_queryset().get(pk=response.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=ResponseUpdateSerializer,
        responses={200: ResponseSerializer, 403: ErrorSerializer, 409: ErrorSerializer},
    )
    def update(self, request, *args, **kwargs):
        response = get_response_for_user(request.user, kwargs["pk"], write=True)
        data = valid(ResponseUpdateSerializer, request)
        response = services.response_update(by=request.user, response=response, **data)
        return Response(ResponseSerializer(self.get_queryset().get(pk=response.pk)).data)
