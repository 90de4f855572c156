"""The PDF export this app owns, registered with `exports` from the app's ready()."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify

from exports.renderers import ExportParamsError, Rendered

from .models import Declaration, Meeting
from .quorum import quorum_for, rule_for_meeting


def meeting_pack(params: dict) -> Rendered:
    meeting = (
        Meeting.objects.select_related("group__hub", "committee")
        .filter(pk=params.get("meeting"))
        .first()
    )
    if meeting is None:
        raise ExportParamsError(f"No meeting {params.get('meeting')}.")
    items = list(
        meeting.items.prefetch_related(
            Prefetch("declarations", queryset=Declaration.objects.select_related("member"))
        )
    )
    attendance = list(meeting.attendance.select_related("member"))
    context = {
        "meeting": meeting,
        "group": meeting.body,
        "items": items,
        "attendance": attendance,
        "quorum": quorum_for(attendance, rule_for_meeting(meeting)),
        "actions": list(meeting.actions.select_related("item")),
        "recommendations": list(meeting.recommendations.all()),
    }
    day = timezone.localtime(meeting.starts_at)
    who = meeting.group.hub.name if meeting.group else meeting.committee.name
    name = f"{slugify(who)[:80]}-meeting-{day:%Y-%m-%d}.pdf"
    return name, "pdf/meeting_pack.html", context
