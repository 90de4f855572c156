"""Reads the workspace pages assemble from several apps, with their preloading."""

from governance.models import DocumentVersion
from meetings.models import Recommendation
from oversight.models import CCGMembership, Interest, OversightGroup


def places_of(group: OversightGroup) -> list[CCGMembership]:
    return list(CCGMembership.objects.filter(group=group).select_related("ccg", "represented_by"))


def open_recommendations_of(group: OversightGroup) -> list[Recommendation]:
    return list(
        Recommendation.objects.filter(
            meeting__group=group, status=Recommendation.Status.AWAITING
        ).order_by("made_on")
    )


def group_history_targets(group: OversightGroup) -> dict[str, list]:
    """{model label: [ids]} of every record whose audit events make up the group's history."""
    return {
        "oversight.oversightgroup": [group.pk],
        "oversight.ccgmembership": list(group.ccgs.values_list("pk", flat=True)),
        "oversight.groupmember": list(group.members.values_list("pk", flat=True)),
        "oversight.interest": list(
            Interest.objects.filter(member__group=group).values_list("pk", flat=True)
        ),
        "oversight.subgroup": list(group.subgroups.values_list("pk", flat=True)),
        "governance.documentversion": list(
            DocumentVersion.objects.filter(document__group=group).values_list("pk", flat=True)
        ),
        "meetings.meeting": list(group.meetings.values_list("pk", flat=True)),
    }
