"""Strategy boards through the API (issue 16; seed 003): set one up from the group it
succeeds, read its seats on a date, and decide the members carried forward."""

import datetime

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commissioning.api_helpers import valid as _valid
from commissioning.schema import ErrorSerializer
from hubs import selectors as hub_selectors
from oversight import boards, selectors
from oversight.models import CarriedMember, OversightGroup
from oversight.permissions import (
    get_carried_for_user,
    get_group_for_board_setup,
    get_group_for_user,
)
from oversight.seats import seat_check

from .serializers import (
    CCG_MISSING,
    PLACE_HELP,
    SEAT_HELP,
    VERSION_HELP,
    ConflictSerializer,
    GroupSerializer,
    MemberSeatField,
    MemberSectorField,
)


class BoardCreateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The group's version: " + VERSION_HELP
    )
    system = serializers.PrimaryKeyRelatedField(
        queryset=hub_selectors.system_choices(),
        help_text="The integrated care system's id (one of the group's hub).",
    )
    name = serializers.CharField(max_length=200)
    start_date = serializers.DateField(help_text="The group closes the day before.")
    purpose = serializers.CharField(allow_blank=True, default=boards.DEFAULT_PURPOSE)


class SeatRowSerializer(serializers.Serializer):
    seat = serializers.CharField()
    label = serializers.CharField()
    place = serializers.IntegerField(allow_null=True, source="place.pk", default=None)
    members = serializers.ListField(child=serializers.IntegerField(), source="member_ids")
    gap = serializers.CharField(
        help_text='Empty when filled; else e.g. "No finance representative".'
    )


class SeatCheckSerializer(serializers.Serializer):
    day = serializers.DateField()
    filled_count = serializers.IntegerField()
    gaps = serializers.ListField(child=serializers.CharField(), source="gap_names")
    rows = SeatRowSerializer(many=True)
    unseated = serializers.ListField(
        child=serializers.IntegerField(),
        source="unseated_ids",
        help_text="Current members in none of the seed's seats.",
    )


class CarriedMemberSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    decided_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = CarriedMember
        fields = [
            "id",
            "board",
            "member",
            "member_name",
            "decision",
            "board_member",
            "decided_at",
            "decided_by",
            "version",
        ]
        read_only_fields = fields


class CarriedDecideSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    decision = serializers.ChoiceField(choices=["confirmed", "removed", "replaced"])
    seat = MemberSeatField(default="", allow_blank=True, help_text=SEAT_HELP)
    place = serializers.PrimaryKeyRelatedField(
        queryset=hub_selectors.places_of_system(None),
        allow_null=True,
        default=None,
        help_text=PLACE_HELP,
    )
    full_name = serializers.CharField(max_length=150, required=False, help_text="A replacement's.")
    email = serializers.EmailField(allow_blank=True, default="")
    organisation = serializers.CharField(max_length=200, required=False)
    sector = MemberSectorField(required=False)
    ccg = serializers.SlugRelatedField(
        slug_field="ods_code",
        queryset=hub_selectors.ccg_choices(),
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": CCG_MISSING},
    )

    def validate(self, attrs):
        if attrs["decision"] == "replaced":
            missing = [f for f in ("full_name", "organisation", "sector") if not attrs.get(f)]
            if missing:
                raise serializers.ValidationError(
                    {f: ["Required for a replacement."] for f in missing}
                )
        return attrs


def _seat_data(check) -> dict:
    return {
        "day": check.day,
        "filled_count": check.filled_count,
        "gap_names": [r.gap for r in check.gaps],
        "rows": [
            {
                "seat": r.seat,
                "label": r.label,
                "place": r.place,
                "member_ids": [m.pk for m in r.members],
                "gap": r.gap,
            }
            for r in check.rows
        ],
        "unseated_ids": [m.pk for m in check.unseated],
    }


class BoardActionsMixin:
    """The board actions of the groups endpoint: `POST /groups/{id}/board/` sets up the board
    that succeeds the group; `GET /groups/{id}/seats/` reads a board's seats on a date."""

    @extend_schema(
        request=BoardCreateSerializer,
        responses={201: GroupSerializer, 403: ErrorSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def board(self, request, pk):
        """Set up the strategy board that succeeds this oversight group (seed 003): the group
        closes the day before the board starts; its members are carried forward."""
        group = get_group_for_board_setup(request.user, pk)
        data = _valid(BoardCreateSerializer, request)
        board = boards.board_create(by=request.user, group=group, **data)
        return Response(self._out(board), status=status.HTTP_201_CREATED)  # type: ignore[attr-defined]

    @extend_schema(
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="Default: today.")],
        responses={200: SeatCheckSerializer, 404: ErrorSerializer},
    )
    @action(detail=True, methods=["get"])
    def seats(self, request, pk):
        """A strategy board's seats on a date: who fills each, and the gaps by name."""
        board: OversightGroup = get_group_for_user(request.user, pk)
        if not board.is_board:
            raise serializers.ValidationError({"id": ["Only a strategy board has seats."]})
        try:
            day = datetime.date.fromisoformat(request.query_params.get("on", ""))
        except ValueError:
            day = timezone.localdate()
        check = seat_check(
            board,
            selectors.board_members(board),
            hub_selectors.places_of_system(board.system_id),
            day,
        )
        return Response(SeatCheckSerializer(_seat_data(check)).data)


class CarriedMemberViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Members of an oversight group carried forward to the board that succeeds it (seed 003),
    each confirmed, removed or replaced once by the board's hub staff or regional team."""

    serializer_class = CarriedMemberSerializer
    lookup_value_regex = "[0-9]+"
    filterset_fields = ["board", "decision"]

    def get_queryset(self):
        user = None if getattr(self, "swagger_fake_view", False) else self.request.user
        return selectors.carried_visible_to(user)

    def retrieve(self, request, pk):
        return Response(CarriedMemberSerializer(get_carried_for_user(request.user, pk)).data)

    @extend_schema(
        request=CarriedDecideSerializer,
        responses={200: CarriedMemberSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk):
        carried = get_carried_for_user(request.user, pk, write=True)
        body = CarriedDecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        carried = boards.carried_decide(
            by=request.user,
            carried=carried,
            version=body.validated_data["version"],
            **boards.decision_args(body.validated_data),
        )
        return Response(CarriedMemberSerializer(carried).data)
