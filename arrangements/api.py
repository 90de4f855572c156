"""REST API for the formal arrangements register, /api/v1/formal-arrangements/ (issue 16, "What
to build" 3 and 5): the same reading rules as the pages (a proposed arrangement only to its
parties; not visible: 404), writes by those who run the system's arrangements (others: 403).
Refusals are 400 by field, a stale version 409, as elsewhere."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from commissioning.api_helpers import valid
from commissioning.schema import ErrorSerializer
from commissioning.serializers import LongTextField

from . import selectors, services
from .models import Agreement, Arrangement, Contribution
from .permissions import (
    get_arrangement_for_user,
    get_contribution_for_user,
    get_system_for_arrangements,
)

ID = "[0-9]{1,18}"


class FormalContributionSerializer(serializers.ModelSerializer):
    party = serializers.SlugRelatedField(slug_field="ods_code", read_only=True, allow_null=True)
    party_name = serializers.CharField(read_only=True)
    year_label = serializers.CharField(read_only=True)

    class Meta:
        model = Contribution
        fields = ["id", "party", "party_name", "year", "year_label", "amount", "version"]
        read_only_fields = fields


class FormalAgreementSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "number",
            "original_filename",
            "content_type",
            "size",
            "note",
            "uploaded_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, agreement: Agreement) -> str:
        return reverse(
            "arrangements:agreement-download", args=[agreement.arrangement_id, agreement.number]
        )


class FormalArrangementSerializer(serializers.ModelSerializer):
    system_name = serializers.CharField(source="system.name", read_only=True)
    region = serializers.CharField(source="system.hub.region.name", read_only=True)
    parties = serializers.SlugRelatedField(slug_field="ods_code", many=True, read_only=True)
    programmes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    host = serializers.SlugRelatedField(slug_field="ods_code", read_only=True, allow_null=True)
    host_name = serializers.CharField(read_only=True)
    contributions = FormalContributionSerializer(many=True, read_only=True)

    class Meta:
        model = Arrangement
        fields = [
            "id",
            "system",
            "system_name",
            "region",
            "title",
            "kind",
            "status",
            "parties",
            "legal_basis",
            "legal_basis_other",
            "programmes",
            "services",
            "host",
            "host_name",
            "start_date",
            "end_date",
            "review_date",
            "board",
            "exemplar",
            "officer_name",
            "officer_title",
            "version",
            "contributions",
        ]
        read_only_fields = fields


class FormalArrangementWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Arrangement.Kind.choices)
    parties = serializers.SlugRelatedField(
        slug_field="ods_code", many=True, queryset=selectors.all_commissioners()
    )
    legal_basis = serializers.ChoiceField(choices=Arrangement.LegalBasis.choices)
    legal_basis_other = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    programmes = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=selectors.programmes()
    )
    services = LongTextField(required=False, default="", allow_blank=True)
    host = serializers.SlugRelatedField(
        slug_field="ods_code",
        queryset=selectors.all_commissioners(),
        required=False,
        allow_null=True,
        default=None,
        help_text="One of the parties' ODS codes; null for NHS England.",
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    review_date = serializers.DateField(required=False, allow_null=True, default=None)
    board = serializers.PrimaryKeyRelatedField(
        queryset=selectors.all_boards(), required=False, allow_null=True, default=None
    )
    exemplar = serializers.PrimaryKeyRelatedField(
        queryset=selectors.all_exemplars(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of the system's exemplar project it came from (seed 003), or null.",
    )
    officer_name = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    officer_title = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )


class FormalArrangementCreateSerializer(FormalArrangementWriteSerializer):
    system = serializers.IntegerField(help_text="The integrated care system's id.")


class FormalArrangementUpdateSerializer(FormalArrangementWriteSerializer):
    version = serializers.IntegerField(min_value=1)


class FormalStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Arrangement.Status.choices)
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    version = serializers.IntegerField(min_value=1)


class FormalContributionWriteSerializer(serializers.Serializer):
    party = serializers.SlugRelatedField(
        slug_field="ods_code",
        queryset=selectors.all_commissioners(),
        allow_null=True,
        help_text="A party's ODS code; null for NHS England.",
    )
    year = serializers.IntegerField(min_value=2013, max_value=2100, help_text="2022 is 2022/23.")
    amount = serializers.DecimalField(max_digits=15, decimal_places=0)


class FormalContributionUpdateSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=15, decimal_places=0)
    version = serializers.IntegerField(min_value=1)


class FormalAgreementUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class FormalArrangementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Pooled budgets, joint appointments and internal delegation between NHS England and the
    commissioners of an integrated care system (seed 003, "Place Based Commissioning
    Options")."""

    serializer_class = FormalArrangementSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.api_arrangements(None)
        return selectors.api_arrangements(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        arrangement = get_arrangement_for_user(request.user, kwargs["pk"])
        return self._answer(arrangement)

    def _answer(self, arrangement, code=status.HTTP_200_OK) -> Response:
        full = selectors.arrangement_full(arrangement)
        return Response(FormalArrangementSerializer(full).data, status=code)

    @extend_schema(
        request=FormalArrangementCreateSerializer,
        responses={201: FormalArrangementSerializer, 404: ErrorSerializer},
    )
    def create(self, request):
        """Hub staff or the regional team record a proposed arrangement in a system."""
        data = valid(FormalArrangementCreateSerializer, request)
        system = get_system_for_arrangements(request.user, data.pop("system"), write=True)
        arrangement = services.arrangement_create(by=request.user, system=system, **data)
        return self._answer(arrangement, status.HTTP_201_CREATED)

    @extend_schema(
        request=FormalArrangementUpdateSerializer,
        responses={200: FormalArrangementSerializer, 409: ErrorSerializer},
    )
    def update(self, request, pk=None):
        """Change an arrangement, naming the version it was read at (409 if stale)."""
        arrangement = get_arrangement_for_user(request.user, pk, write=True)
        data = valid(FormalArrangementUpdateSerializer, request)
        arrangement = services.arrangement_update(by=request.user, arrangement=arrangement, **data)
        return self._answer(arrangement)

    @extend_schema(request=FormalStatusSerializer, responses={200: FormalArrangementSerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def move(self, request, pk=None):
        """Move the arrangement on: proposed → agreed → live ⇄ under review → ended."""
        arrangement = get_arrangement_for_user(request.user, pk, write=True)
        data = valid(FormalStatusSerializer, request)
        arrangement = services.arrangement_move(by=request.user, arrangement=arrangement, **data)
        return self._answer(arrangement)

    @extend_schema(
        request=FormalContributionWriteSerializer, responses={201: FormalContributionSerializer}
    )
    @action(detail=True, methods=["post"])
    def contributions(self, request, pk=None):
        """Add a party's contribution for a financial year (one per party per year)."""
        arrangement = get_arrangement_for_user(request.user, pk, write=True)
        data = valid(FormalContributionWriteSerializer, request)
        contribution = services.contribution_add(by=request.user, arrangement=arrangement, **data)
        return Response(
            FormalContributionSerializer(contribution).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request={"multipart/form-data": FormalAgreementUploadSerializer},
        responses={200: FormalAgreementSerializer(many=True), 201: FormalAgreementSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
        filter_backends=[],
    )
    def agreements(self, request, pk=None):
        """The signed agreement's versions, newest first; upload a new one (PDF or DOCX)."""
        if request.method == "GET":
            arrangement = get_arrangement_for_user(request.user, pk)
            rows = selectors.agreements_of(arrangement)
            return Response(FormalAgreementSerializer(rows, many=True).data)
        arrangement = get_arrangement_for_user(request.user, pk, write=True)
        data = valid(FormalAgreementUploadSerializer, request)
        agreement = services.agreement_upload(by=request.user, arrangement=arrangement, **data)
        return Response(FormalAgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)


class FormalContributionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A party's contribution to a formal arrangement for one financial year: read it, or
    correct its amount naming its version (409 if stale). Add one with
    `POST /formal-arrangements/{id}/contributions/`."""

    serializer_class = FormalContributionSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        return selectors.no_contributions()

    def get_object(self):
        return get_contribution_for_user(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        request=FormalContributionUpdateSerializer,
        responses={200: FormalContributionSerializer, 409: ErrorSerializer},
    )
    def update(self, request, pk=None):
        contribution = get_contribution_for_user(request.user, int(pk), write=True)
        data = valid(FormalContributionUpdateSerializer, request)
        contribution = services.contribution_update(
            by=request.user, contribution=contribution, **data
        )
        return Response(FormalContributionSerializer(contribution).data)
