"""Reads the meeting pages and API lists assemble, with their preloading."""

from django.db.models import Prefetch, QuerySet

from oversight.models import Committee, GroupMember
from oversight.permissions import committees_visible_to

from .models import Action, AgendaItem, Attendance, Declaration, Meeting, Paper, Recommendation
from .permissions import meetings_visible_to, recommendations_visible_to


def committees_for(user) -> list[Committee]:
    """The committees the user can see (issue 15), national first."""
    return list(committees_visible_to(user).order_by("kind", "status", "name"))


def committee_members(committee: Committee) -> list[GroupMember]:
    """Everyone who has sat on the committee, current members first."""
    return list(committee.members.select_related("ccg"))


def meetings_of(body) -> QuerySet[Meeting]:
    """The group's (or committee's) meetings, newest first."""
    return body.meetings.order_by("-starts_at")


def meeting_items(meeting: Meeting) -> list[AgendaItem]:
    """The agenda with each item's declarations (and who declared) and live papers."""
    return list(
        meeting.items.prefetch_related(
            Prefetch("declarations", queryset=Declaration.objects.select_related("member")),
            Prefetch("papers", queryset=Paper.objects.filter(withdrawn=False)),
        )
    )


def meeting_attendance(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendance.select_related("member"))


def meeting_actions(meeting: Meeting) -> list[Action]:
    return list(meeting.actions.select_related("item"))


def meeting_recommendations(meeting: Meeting) -> list[Recommendation]:
    return list(meeting.recommendations.select_related("responded_by"))


def meeting_nominations(meeting: Meeting) -> list:
    """The nominations to Clinical Reference Group seats the group made at this meeting (issue
    17: "the group nominates (recorded as a recommendation/decision of a meeting)"), through the
    reverse relation the national app declares (it sits above this app)."""
    return list(
        meeting.crg_nominations.select_related("seat__crg", "seat__region", "ccg").order_by(
            "created_at", "pk"
        )
    )


def meetings_for_api(user, *, detail: bool = False) -> QuerySet[Meeting]:
    """The user's meetings, newest first; with `detail`, agenda, declarations, attendance and
    actions preloaded for the full record."""
    meetings = meetings_visible_to(user).order_by("-starts_at")
    if detail:
        meetings = meetings.prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.prefetch_related(
                    Prefetch("declarations", queryset=Declaration.objects.select_related("member"))
                ),
            ),
            Prefetch("attendance", queryset=Attendance.objects.select_related("member")),
            "actions",
        )
    return meetings


def actions_for_api(user) -> QuerySet[Action]:
    return (
        Action.objects.filter(meeting__in=meetings_visible_to(user))
        .select_related("meeting__group")
        .order_by("due_date", "pk")
    )


def recommendations_for(user, *, status: str = "") -> QuerySet[Recommendation]:
    """The user's recommendations, oldest first, of one status if it is one."""
    recommendations = recommendations_visible_to(user).order_by("made_on", "pk")
    if status in Recommendation.Status.values:
        recommendations = recommendations.filter(status=status)
    return recommendations


def awaiting_response(user) -> list[Recommendation]:
    """Recommendations awaiting the region's response that the user can see, oldest first."""
    return list(
        recommendations_visible_to(user)
        .filter(status=Recommendation.Status.AWAITING)
        .order_by("made_on")
    )


def meeting_record_ids(meeting: Meeting) -> dict[str, list[int]]:
    """{model label: ids} of the meeting and everything recorded at it (for its history)."""
    return {
        "meetings.meeting": [meeting.pk],
        "meetings.agendaitem": list(meeting.items.values_list("pk", flat=True)),
        "meetings.action": list(meeting.actions.values_list("pk", flat=True)),
        "meetings.recommendation": list(meeting.recommendations.values_list("pk", flat=True)),
        "meetings.declaration": list(
            Declaration.objects.filter(item__meeting=meeting).values_list("pk", flat=True)
        ),
        "meetings.paper": list(
            Paper.objects.filter(item__meeting=meeting).values_list("pk", flat=True)
        ),
        "national.nomination": list(meeting.crg_nominations.values_list("pk", flat=True)),
    }
