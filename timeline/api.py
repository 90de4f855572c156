"""REST API for the planning cycle: the calendar's milestones, each hub's timeline state and
the user's own notifications — the same access helpers (timeline/permissions.py) and services
as the pages.

Not visible is 404, visible but not yours to change is 403. A service's refusal is a 400 keyed
by the field it concerns; a change made from a stale `version` is a 409 naming the current
version, and nothing is written. Notifications are their owner's alone: anyone else's is 404.
"""

import django_filters
from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commissioning.api_helpers import valid as _valid
from commissioning.schema import ErrorSerializer, ValidationErrorSerializer
from hubs import selectors as hub_selectors
from oversight.api import VERSION_HELP, ConflictSerializer

from . import notifications, selectors, services
from .models import CalendarMilestone, Notification, Satisfier
from .permissions import (
    get_hub_for_timeline,
    get_milestone_for_editor,
    get_notification_for_user,
    require_calendar_editor,
    require_calendar_reader,
)
from .status import State, grid


def _this_year() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A financial year by its first calendar year (else a 400, not a 500)."""

    field_class = forms.IntegerField

    def get_max_validator(self):
        return MaxValueValidator(2100)


# --- the planning calendar -----------------------------------------------------------------


class CalendarMilestoneSerializer(serializers.ModelSerializer):
    year_label = serializers.CharField(read_only=True)

    class Meta:
        model = CalendarMilestone
        fields = [
            "id",
            "year",
            "year_label",
            "title",
            "description",
            "section",
            "starts_on",
            "due_on",
            "for_national_admins",
            "for_hub_staff",
            "for_ccg_leads",
            "for_regional_teams",
            "satisfied_by",
            "every_ccg",
            "archived",
            "version",
        ]
        read_only_fields = fields


class CalendarMilestoneCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2013, max_value=2100, help_text="The financial year's first calendar year."
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(
        help_text="Between 1 January of the year and 31 March of the next."
    )
    section = serializers.CharField(
        max_length=60, allow_blank=True, default="", help_text="The seed section it comes from."
    )
    for_national_admins = serializers.BooleanField(default=False)
    for_hub_staff = serializers.BooleanField(default=False)
    for_ccg_leads = serializers.BooleanField(default=False)
    for_regional_teams = serializers.BooleanField(default=False)
    satisfied_by = serializers.ChoiceField(choices=Satisfier.choices, default=Satisfier.MANUAL)
    every_ccg = serializers.BooleanField(
        default=False, help_text="Done only when every CCG of the footprint on its date has."
    )


class CalendarMilestoneUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(allow_blank=True, required=False)
    starts_on = serializers.DateField(required=False, allow_null=True)
    due_on = serializers.DateField(required=False)
    section = serializers.CharField(max_length=60, allow_blank=True, required=False)
    for_national_admins = serializers.BooleanField(required=False)
    for_hub_staff = serializers.BooleanField(required=False)
    for_ccg_leads = serializers.BooleanField(required=False)
    for_regional_teams = serializers.BooleanField(required=False)
    satisfied_by = serializers.ChoiceField(choices=Satisfier.choices, required=False)
    every_ccg = serializers.BooleanField(required=False)


class CalendarVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class CalendarMilestoneFilter(django_filters.FilterSet):
    year = YearFilter(label="Financial year starting", min_value=2013)
    archived = django_filters.BooleanFilter()

    class Meta:
        model = CalendarMilestone
        fields = ["year", "archived"]


class CalendarMilestoneViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The planning calendar's milestones, for anyone with a role. National admins add them,
    change them (PATCH, with the `version` they started from) and take them off the calendar."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = CalendarMilestoneSerializer
    filterset_class = CalendarMilestoneFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.milestones().none()
        require_calendar_reader(self.request.user)
        return selectors.milestones()

    @extend_schema(
        request=CalendarMilestoneCreateSerializer,
        responses={201: CalendarMilestoneSerializer},
    )
    def create(self, request):
        require_calendar_editor(request.user)
        data = _valid(CalendarMilestoneCreateSerializer, request)
        milestone = services.milestone_add(by=request.user, **data)
        return Response(CalendarMilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CalendarMilestoneUpdateSerializer,
        responses={200: CalendarMilestoneSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk):
        milestone = get_milestone_for_editor(request.user, pk)
        data = _valid(CalendarMilestoneUpdateSerializer, request)
        milestone = services.milestone_update(by=request.user, milestone=milestone, **data)
        return Response(CalendarMilestoneSerializer(milestone).data)

    @extend_schema(
        request=CalendarVersionSerializer,
        responses={200: CalendarMilestoneSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, pk):
        """Take the milestone off the calendar: its reminders stop; its history stays."""
        milestone = get_milestone_for_editor(request.user, pk)
        data = _valid(CalendarVersionSerializer, request)
        milestone = services.milestone_archive(by=request.user, milestone=milestone, **data)
        return Response(CalendarMilestoneSerializer(milestone).data)


# --- a hub's timeline ----------------------------------------------------------------------


class TimelineEntrySerializer(serializers.Serializer):
    milestone = serializers.IntegerField()
    title = serializers.CharField()
    section = serializers.CharField(help_text="The seed section the milestone comes from.")
    starts_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField()
    satisfied_by = serializers.CharField(help_text="The record that satisfies the milestone.")
    state = serializers.ChoiceField(choices=list(State.LABELS.items()))
    state_label = serializers.CharField(help_text='"Done late (3 June 2015)" when met late.')
    met_on = serializers.DateField(allow_null=True, help_text="The day it was met, if it was.")
    ccgs_met = serializers.IntegerField(
        allow_null=True,
        help_text="For a milestone every CCG must meet: how many of the footprint have.",
    )
    ccgs = serializers.IntegerField(
        allow_null=True,
        help_text="For a milestone every CCG must meet: the hub's CCGs open on its due date.",
    )
    progress = serializers.CharField(help_text='"4 of 11", or empty.')
    link = serializers.CharField(help_text="The page where the record is made.")
    completed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the hub marked it done by hand, if it did."
    )


class HubTimelineSerializer(serializers.Serializer):
    hub = serializers.CharField(help_text="The hub's slug.")
    hub_name = serializers.CharField()
    year = serializers.IntegerField()
    year_label = serializers.CharField()
    milestones = TimelineEntrySerializer(many=True)


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2013, max_value=2100, required=False)


class HubTimelineViewSet(viewsets.GenericViewSet):
    """Each milestone's state (done, due soon, overdue, upcoming) for one hub and year, from
    the records that satisfy them: for the hub's staff, its CCGs' leads, its region and
    national admins."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]{1,50}"
    serializer_class = HubTimelineSerializer
    filterset_class = None
    pagination_class = None
    queryset = hub_selectors.hub_choices().none()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year", int, description="Financial year starting (default: the current one)"
            )
        ],
        responses={
            200: HubTimelineSerializer,
            400: ValidationErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def retrieve(self, request, slug):
        hub = get_hub_for_timeline(request.user, slug)
        query = YearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or _this_year()
        _, cells = grid([hub], year, timezone.localdate())
        completed = selectors.completion_times(hub, year)
        return Response(
            HubTimelineSerializer(
                {
                    "hub": hub.slug,
                    "hub_name": hub.name,
                    "year": year,
                    "year_label": f"{year}/{(year + 1) % 100:02d}",
                    "milestones": [
                        {
                            "milestone": c.milestone.pk,
                            "title": c.milestone.title,
                            "section": c.milestone.section,
                            "starts_on": c.milestone.starts_on,
                            "due_on": c.milestone.due_on,
                            "satisfied_by": c.milestone.satisfied_by,
                            "state": c.state,
                            "state_label": c.label,
                            "met_on": c.met_on,
                            "ccgs_met": c.met,
                            "ccgs": c.total,
                            "progress": c.progress,
                            "link": c.link,
                            "completed_at": completed.get(c.milestone.pk),
                        }
                        for c in cells[hub.pk]
                    ],
                }
            ).data
        )


# --- the user's notifications --------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "link", "essential", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_unread(self, notification) -> bool:
        return notification.read_at is None


class ReadAllSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many were unread.")


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["unread"]


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Your own in-app notifications, newest first (no one else's, ever). Mark one read, or
    all of them."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.notifications_for(self.request.user).none()
        return selectors.notifications_for(self.request.user)

    def _own(self, pk) -> Notification:
        return get_notification_for_user(self.request.user, pk)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk):
        """Mark the notification read (again is harmless)."""
        notification = notifications.notification_read(
            user=request.user, notification=self._own(pk)
        )
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: ReadAllSerializer})
    @action(
        detail=False,
        methods=["post"],
        url_path="read-all",
        filterset_class=None,
        pagination_class=None,
    )
    def read_all(self, request):
        """Mark every unread notification of yours read."""
        return Response({"marked_read": notifications.notifications_read_all(user=request.user)})
