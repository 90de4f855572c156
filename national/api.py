"""REST API for the national structures (issue 17, "What to build" 1, 2 and 7): everyone signed
in reads the Programme of Care boards, CRGs, their documents and seats (`?on=YYYY-MM-DD` for
who held a seat that day); national admins write them and decide nominations; hub staff
nominate through their group's held meetings. Refusals are 400 by field, a stale version 409.
"""

import datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from commissioning.api_helpers import valid
from commissioning.schema import ErrorSerializer
from hubs.api import CanViewRegister

from . import selectors, services
from .models import (
    BoardHolding,
    ClinicalReferenceGroup,
    CRGDocument,
    CRGDocumentVersion,
    CRGSeat,
    LeadershipSeat,
    Nomination,
    SeatTerm,
)
from .permissions import (
    get_crg_for_user,
    get_document_for_user,
    get_holding_for_user,
    get_nomination_for_user,
    get_seat_for_user,
    require_keeper,
    require_nominator,
)

ON = OpenApiParameter(
    "on", str, description="A date (YYYY-MM-DD): who held each seat that day.", required=False
)


def _day(request) -> datetime.date:
    from django.utils import timezone

    text = request.query_params.get("on", "")
    if not text:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as bad:
        raise ValidationError({"on": ["Enter a real date, for example 2019-04-01."]}) from bad


class NationalReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [CanViewRegister]
    lookup_value_regex = "[0-9]{1,18}"


# --- serializers ----------------------------------------------------------------------------


class BoardHoldingSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = BoardHolding
        fields = [
            "id",
            "programme",
            "seat",
            "name",
            "organisation",
            "email",
            "start_date",
            "end_date",
            "version",
        ]
        read_only_fields = fields


class CRGBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClinicalReferenceGroup
        fields = ["id", "name", "archived"]
        read_only_fields = fields


class BoardSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    holdings = BoardHoldingSerializer(many=True, source="board_holdings.all")
    crgs = CRGBriefSerializer(many=True, source="crgs.all")


class CRGSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ClinicalReferenceGroup
        fields = ["id", "name", "programme", "chair", "archived", "version"]
        read_only_fields = fields


class CRGDocumentVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CRGDocumentVersion
        fields = ["id", "number", "original_filename", "content_type", "size", "created_at"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    versions = CRGDocumentVersionSerializer(many=True, read_only=True)

    class Meta:
        model = CRGDocument
        fields = ["id", "crg", "title", "kind", "url", "version", "versions"]
        read_only_fields = fields


class SeatTermSerializer(serializers.ModelSerializer):
    ccg = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)

    class Meta:
        model = SeatTerm
        fields = ["id", "holder_name", "ccg", "job_title", "start_date", "end_date", "nomination"]
        read_only_fields = fields


class SeatSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    terms = SeatTermSerializer(many=True, read_only=True)

    class Meta:
        model = CRGSeat
        fields = ["id", "crg", "region", "terms"]
        read_only_fields = fields


class NominationSerializer(serializers.ModelSerializer):
    ccg = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)
    group = serializers.IntegerField(source="meeting.group_id", read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "seat",
            "meeting",
            "group",
            "nominee_name",
            "ccg",
            "email",
            "job_title",
            "term_start",
            "term_end",
            "status",
            "decline_reason",
            "decided_on",
            "version",
        ]
        read_only_fields = fields


class HoldingWriteSerializer(serializers.Serializer):
    programme = serializers.SlugRelatedField(slug_field="slug", queryset=selectors.programmes())
    seat = serializers.ChoiceField(choices=LeadershipSeat.choices)
    name = serializers.CharField(max_length=200)
    organisation = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, default="", allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)


class HoldingUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    organisation = serializers.CharField(max_length=200, required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False, allow_null=True)
    version = serializers.IntegerField(min_value=1)


class CRGWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    programme = serializers.SlugRelatedField(slug_field="slug", queryset=selectors.programmes())
    chair = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    with_seats = serializers.BooleanField(required=False, default=True)


class CRGUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    programme = serializers.SlugRelatedField(
        slug_field="slug", queryset=selectors.programmes(), required=False
    )
    chair = serializers.CharField(max_length=200, required=False, allow_blank=True)
    archived = serializers.BooleanField(required=False)
    version = serializers.IntegerField(min_value=1)


class DocumentWriteSerializer(serializers.Serializer):
    crg = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=CRGDocument.Kind.choices)
    url = serializers.URLField(max_length=500, required=False, default="", allow_blank=True)
    file = serializers.FileField(required=False, default=None)


class DocumentUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=CRGDocument.Kind.choices, required=False)
    url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1)


class CRGFileSerializer(serializers.Serializer):
    file = serializers.FileField()


class SeatWriteSerializer(serializers.Serializer):
    crg = serializers.IntegerField()
    region = serializers.SlugRelatedField(slug_field="slug", queryset=selectors.regions())


class NominationWriteSerializer(serializers.Serializer):
    seat = serializers.IntegerField()
    meeting = serializers.IntegerField()
    nominee_name = serializers.CharField(max_length=200)
    ccg = serializers.SlugRelatedField(slug_field="ods_code", queryset=selectors.commissioners())
    email = serializers.EmailField()
    job_title = serializers.CharField(max_length=200)
    term_start = serializers.DateField()
    term_end = serializers.DateField()


class NominationVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class NominationDeclineSerializer(NominationVersionSerializer):
    reason = serializers.CharField(max_length=2000)


class OverviewSeatSerializer(serializers.Serializer):
    region = serializers.CharField(source="seat.region.slug")
    vacant = serializers.BooleanField()
    holder = SeatTermSerializer(allow_null=True)


class OverviewRowSerializer(serializers.Serializer):
    crg = CRGSerializer()
    programme = serializers.CharField(source="crg.programme.name")
    vacancies = serializers.IntegerField()
    seats = OverviewSeatSerializer(many=True)


class OverviewSerializer(serializers.Serializer):
    on = serializers.DateField()
    regions = serializers.ListField(child=serializers.CharField())
    rows = OverviewRowSerializer(many=True)


# --- viewsets -------------------------------------------------------------------------------


class ProgrammeBoardViewSet(NationalReadOnly):
    """The Programme of Care boards: every holder of their three leadership seats, and CRGs."""

    serializer_class = BoardSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-z0-9]{1,100}"

    def get_queryset(self):
        return selectors.boards_for_api()


class BoardHoldingViewSet(NationalReadOnly, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Holders of Programme of Care board seats (national admins write)."""

    serializer_class = BoardHoldingSerializer
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return selectors.holdings_for_api()

    @extend_schema(request=HoldingWriteSerializer, responses={201: BoardHoldingSerializer})
    def create(self, request, *args, **kwargs):
        require_keeper(request.user)
        holding = services.holding_add(by=request.user, **valid(HoldingWriteSerializer, request))
        return Response(BoardHoldingSerializer(holding).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=HoldingUpdateSerializer,
        responses={200: BoardHoldingSerializer, 409: ErrorSerializer},
    )
    def update(self, request, *args, **kwargs):
        holding = get_holding_for_user(request.user, kwargs["pk"], write=True)
        data = valid(HoldingUpdateSerializer, request)
        holding = services.holding_update(by=request.user, holding=holding, **data)
        return Response(BoardHoldingSerializer(holding).data)


class CRGViewSet(NationalReadOnly, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Clinical Reference Groups (national admins add and change them; archive, never
    delete)."""

    serializer_class = CRGSerializer
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return selectors.crgs_for_api()

    @extend_schema(request=CRGWriteSerializer, responses={201: CRGSerializer})
    def create(self, request, *args, **kwargs):
        require_keeper(request.user)
        crg = services.crg_create(by=request.user, **valid(CRGWriteSerializer, request))
        return Response(CRGSerializer(crg).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CRGUpdateSerializer, responses={200: CRGSerializer, 409: ErrorSerializer}
    )
    def update(self, request, *args, **kwargs):
        crg = get_crg_for_user(request.user, kwargs["pk"], write=True)
        crg = services.crg_update(by=request.user, crg=crg, **valid(CRGUpdateSerializer, request))
        return Response(CRGSerializer(crg).data)


class CRGDocumentViewSet(NationalReadOnly, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """A CRG's service specifications and policies, with their uploaded versions."""

    serializer_class = DocumentSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return selectors.documents_for_api()

    def _answer(self, document, code=status.HTTP_200_OK) -> Response:
        return Response(
            DocumentSerializer(self.get_queryset().get(pk=document.pk)).data, status=code
        )

    @extend_schema(
        request=DocumentWriteSerializer,
        responses={201: DocumentSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = valid(DocumentWriteSerializer, request)
        crg = get_crg_for_user(request.user, data.pop("crg"), write=True)
        document = services.document_add(by=request.user, crg=crg, **data)
        return self._answer(document, status.HTTP_201_CREATED)

    @extend_schema(
        request=DocumentUpdateSerializer, responses={200: DocumentSerializer, 409: ErrorSerializer}
    )
    def update(self, request, *args, **kwargs):
        document = get_document_for_user(request.user, kwargs["pk"], write=True)
        data = valid(DocumentUpdateSerializer, request)
        document = services.document_update(by=request.user, document=document, **data)
        return self._answer(document)

    @extend_schema(request=CRGFileSerializer, responses={201: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def versions(self, request, pk=None):
        """Upload a new version (PDF or DOCX)."""
        document = get_document_for_user(request.user, pk, write=True)
        services.document_version_add(
            by=request.user, document=document, **valid(CRGFileSerializer, request)
        )
        return self._answer(document, status.HTTP_201_CREATED)


class CRGSeatViewSet(NationalReadOnly, mixins.CreateModelMixin):
    """CRGs' local commissioner seats (four per CRG, one per region) and their terms."""

    serializer_class = SeatSerializer

    def get_queryset(self):
        return selectors.seats_for_api()

    @extend_schema(
        request=SeatWriteSerializer,
        responses={201: SeatSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = valid(SeatWriteSerializer, request)
        crg = get_crg_for_user(request.user, data["crg"], write=True)
        seat = services.seat_add(by=request.user, crg=crg, region=data["region"])
        return Response(
            SeatSerializer(get_seat_for_user(request.user, seat.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[
            ON,
            OpenApiParameter("region", str, description="A region's slug.", required=False),
            OpenApiParameter("sort", str, enum=list(selectors.SORTS), required=False),
        ],
        responses={200: OverviewSerializer},
    )
    @action(detail=False, methods=["get"])
    def overview(self, request):
        """Every open CRG's seats, filled and vacant by region on a date."""
        region = None
        slug = request.query_params.get("region", "")
        if slug:
            region = selectors.region_by_slug(slug)
            if region is None:
                raise ValidationError({"region": ["No such region."]})
        sort = request.query_params.get("sort", "crg")
        if sort not in selectors.SORTS:
            raise ValidationError({"sort": [f"Sort by one of {', '.join(selectors.SORTS)}."]})
        day = _day(request)
        shown, rows = selectors.seats_table(day, region=region, sort=sort)
        body = {"on": day, "regions": [r.slug for r in shown], "rows": rows}
        return Response(OverviewSerializer(body).data)


class NominationViewSet(NationalReadOnly, mixins.CreateModelMixin):
    """Nominations to CRG seats: made by hub staff at their group's held meetings, accepted or
    declined by national admins. Read by national admins, the group's readers and the seat's
    region's team."""

    serializer_class = NominationSerializer

    def get_queryset(self):
        return selectors.nominations_for_api(self.request.user)

    @extend_schema(
        request=NominationWriteSerializer,
        responses={201: NominationSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def create(self, request, *args, **kwargs):
        require_nominator(request.user)
        data = valid(NominationWriteSerializer, request)
        seat = get_seat_for_user(request.user, data.pop("seat"))
        meeting = selectors.meetings_run_by(request.user).filter(pk=data.pop("meeting")).first()
        if meeting is None:
            raise ValidationError({"meeting": ["Choose a meeting of an oversight group you run."]})
        nomination = services.nomination_create(by=request.user, seat=seat, meeting=meeting, **data)
        return Response(NominationSerializer(nomination).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=NominationVersionSerializer,
        responses={200: NominationSerializer, 409: ErrorSerializer},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        nomination = get_nomination_for_user(request.user, pk, write=True)
        services.nomination_accept(
            by=request.user, nomination=nomination, **valid(NominationVersionSerializer, request)
        )
        return Response(NominationSerializer(self.get_queryset().get(pk=nomination.pk)).data)

    @extend_schema(
        request=NominationDeclineSerializer,
        responses={200: NominationSerializer, 409: ErrorSerializer},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        nomination = get_nomination_for_user(request.user, pk, write=True)
        services.nomination_decline(
            by=request.user, nomination=nomination, **valid(NominationDeclineSerializer, request)
        )
        return Response(NominationSerializer(self.get_queryset().get(pk=nomination.pk)).data)
