"""What each kind of export contains: params in, (filename, template, context) out."""

import datetime
from collections.abc import Callable

from django.utils import timezone
from django.utils.text import slugify

from hubs.models import Hub

from .models import Export

Rendered = tuple[str, str, dict]


class ExportParamsError(ValueError):
    """The export's parameters no longer describe anything (say, the hub has gone)."""


def hub_footprint(params: dict) -> Rendered:
    hub = Hub.objects.select_related("region").filter(slug=params.get("hub")).first()
    if hub is None:
        raise ExportParamsError(f"No hub '{params.get('hub')}'.")
    day = datetime.date.fromisoformat(params.get("on") or timezone.localdate().isoformat())
    ccgs = list(hub.ccgs.with_succession().order_by("name"))
    current = [c for c in ccgs if c.is_valid_on(day)]
    closed = [c for c in ccgs if c.valid_to is not None and c.valid_to < day]
    context = {"hub": hub, "day": day, "current": current, "closed": closed}
    return f"{slugify(hub.name)}-footprint-{day:%Y-%m-%d}.pdf", "pdf/hub_footprint.html", context


def meeting_pack(params: dict) -> Rendered:
    from django.db.models import Prefetch

    from meetings.models import Declaration, Meeting
    from meetings.quorum import quorum_for, rule_for_group

    meeting = Meeting.objects.select_related("group__hub").filter(pk=params.get("meeting")).first()
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
        "group": meeting.group,
        "items": items,
        "attendance": attendance,
        "quorum": quorum_for(attendance, rule_for_group(meeting.group)),
        "actions": list(meeting.actions.select_related("item")),
        "recommendations": list(meeting.recommendations.all()),
    }
    day = timezone.localtime(meeting.starts_at)
    name = f"{slugify(meeting.group.hub.name)}-meeting-{day:%Y-%m-%d}.pdf"
    return name, "pdf/meeting_pack.html", context


def priorities_plan(params: dict) -> Rendered:
    from priorities.models import PrioritiesPlan
    from priorities.services import snapshot

    plan = PrioritiesPlan.objects.select_related("group__hub").filter(pk=params.get("plan")).first()
    if plan is None:
        raise ExportParamsError(f"No plan {params.get('plan')}.")
    name = (
        f"{slugify(plan.group.hub.name)}-priorities-plan-{plan.year}-v{params.get('version')}.pdf"
    )
    return (
        name,
        "pdf/priorities_plan.html",
        {"plan": plan, "content": snapshot(plan), "plan_version": params.get("version")},
    )


def review_report(params: dict) -> Rendered:
    from reviews.models import ReviewReport

    report = (
        ReviewReport.objects.select_related("review__hub", "review__cycle", "issued_by")
        .filter(pk=params.get("report"))
        .first()
    )
    if report is None:
        raise ExportParamsError(f"No report {params.get('report')}.")
    review = report.review
    name = f"{slugify(review.hub.name)}-peer-review-{review.cycle.year}-{review.cycle.kind}"
    return (
        f"{name}-v{report.number}.pdf",
        "pdf/review_report.html",
        {"report": report, "review": review, "content": report.content},
    )


RENDERERS: dict[str, Callable[[dict], Rendered]] = {
    Export.Kind.HUB_FOOTPRINT: hub_footprint,
    Export.Kind.MEETING_PACK: meeting_pack,
    Export.Kind.PRIORITIES_PLAN: priorities_plan,
    Export.Kind.REVIEW_REPORT: review_report,
}
