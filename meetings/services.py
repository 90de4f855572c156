"""Every change to meetings, actions and recommendations: named, atomic, audited, locked."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commissioning import audit
from commissioning.concurrency import attribute_to, create_recorded, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import RuleError
from commissioning.limits import MEETING_YEARS_AHEAD, check_day, years_after
from governance.uploads import validate_upload
from oversight.models import Committee, GroupMember, OversightGroup

from . import events
from .models import Action, AgendaItem, Attendance, Declaration, Meeting, Paper, Recommendation

# Seed rule kept: a meeting in person says where; an online-only meeting needs no place.
PLACE_NEEDED = "Enter where the meeting is, or tick “Online” if it is held online only."


class MeetingError(RuleError):
    """A change to this app's records that breaks a rule (see RuleError)."""


def _check_meeting_date(body: OversightGroup | Committee, starts_at: datetime.datetime) -> None:
    """A meeting falls within the group's (or committee's) life and at most MEETING_YEARS_AHEAD
    years from today (issue 14: a meeting in 9999 was accepted)."""
    day = starts_at.date()
    noun = body.noun
    if day < body.start_date:
        raise MeetingError(f"The meeting cannot be before the {noun} started.", field="starts_at")
    if body.closed_on and day > body.closed_on:
        raise MeetingError(f"The meeting cannot be after the {noun} closed.", field="starts_at")
    latest = years_after(timezone.localdate(), MEETING_YEARS_AHEAD)
    check_day(
        day,
        field="starts_at",
        latest=latest,
        too_late=f"Enter a date no more than {MEETING_YEARS_AHEAD} years ahead"
        f" (on or before {nhs_date(latest)})",
        error=MeetingError,
    )


@transaction.atomic
def meeting_schedule(
    *,
    by,
    group: OversightGroup | Committee,
    title: str,
    starts_at: datetime.datetime,
    location: str,
    online: bool,
) -> Meeting:
    """Schedule a meeting of a group or of a committee (issue 15)."""
    if group.is_closed:
        raise MeetingError(f"A closed {group.noun} cannot hold meetings.")
    _check_meeting_date(group, starts_at)
    if not online and not location.strip():
        raise MeetingError(PLACE_NEEDED, field="location")
    meeting = create_recorded(
        Meeting,
        by=by,
        **{group.noun: group},
        title=title,
        starts_at=starts_at,
        location=location,
        online=online,
        created_by=by,
    )
    audit.record(actor=by, verb=events.MEETING_SCHEDULED, target=meeting)
    return meeting


MEETING_FIELDS = ["title", "starts_at", "location", "online", "status", "minutes"]


@transaction.atomic
def meeting_update(*, by, meeting: Meeting, version: int, **changes) -> Meeting:
    current = lock_version(Meeting, meeting.pk, version, MEETING_FIELDS)
    online = changes.get("online", current.online)
    if not online and not changes.get("location", current.location).strip():
        raise MeetingError(PLACE_NEEDED, field="location")
    starts_at = changes.get("starts_at", current.starts_at)
    _check_meeting_date(current.body, starts_at)
    if changes.get("status") == Meeting.Status.HELD and starts_at > timezone.now():
        raise MeetingError("A meeting cannot be marked held before it starts.", field="status")
    changed = [f for f in MEETING_FIELDS if f in changes and getattr(current, f) != changes[f]]
    for name in changed:
        setattr(current, name, changes[name])
    save_versioned(current, by=by, fields=changed)
    audit.record(actor=by, verb=events.MEETING_UPDATED, target=current, fields=changed)
    return current


@transaction.atomic
def item_add(
    *, by, meeting: Meeting, title: str, purpose: str, summary: str = "", concerns: str = ""
) -> AgendaItem:
    Meeting.objects.select_for_update().get(pk=meeting.pk)  # numbers are handed out in turn
    number = (meeting.items.aggregate(n=Max("number"))["n"] or 0) + 1
    item = create_recorded(
        AgendaItem,
        by=by,
        meeting=meeting,
        number=number,
        title=title,
        purpose=purpose,
        summary=summary,
        concerns=concerns,
    )
    audit.record(actor=by, verb=events.ITEM_ADDED, target=item)
    return item


ITEM_FIELDS = ["title", "purpose", "summary", "concerns", "decision"]


@transaction.atomic
def item_update(*, by, item: AgendaItem, version: int, **changes) -> AgendaItem:
    current = lock_version(AgendaItem, item.pk, version, ITEM_FIELDS)
    changed = [f for f in ITEM_FIELDS if f in changes and getattr(current, f) != changes[f]]
    for name in changed:
        setattr(current, name, changes[name])
    save_versioned(current, by=by, fields=changed)
    audit.record(actor=by, verb=events.ITEM_UPDATED, target=current, fields=changed)
    return current


@transaction.atomic
def attendance_record(*, by, meeting: Meeting, statuses: dict[int, str]) -> list[Attendance]:
    """Record who was present, sent apologies or was absent (member id → status)."""
    day = timezone.localtime(meeting.starts_at).date()
    members = {m.pk: m for m in meeting.body.members.all() if m.is_current_on(day)}
    unknown = set(statuses) - set(members)
    if unknown:
        raise MeetingError("Attendance can only be recorded for members on the meeting's date.")
    existing = {a.member_id: a for a in meeting.attendance.select_for_update()}
    recorded = []
    for member_id, status in statuses.items():
        row = existing.get(member_id)
        if row is None:
            row = create_recorded(
                Attendance, by=by, meeting=meeting, member=members[member_id], status=status
            )
        elif row.status != status:
            row.status = status
            attribute_to(row, by)
            row.save(update_fields=["status"])
        recorded.append(row)
    audit.record(actor=by, verb=events.ATTENDANCE_RECORDED, target=meeting, count=len(recorded))
    return recorded


@transaction.atomic
def declaration_add(
    *,
    by,
    item: AgendaItem,
    member: GroupMember,
    interest: str,
    managed_by: str,
    excluded: bool = False,
) -> Declaration:
    """A member's declared interest in an item; `excluded`: they took no part in its decision."""
    meeting = item.meeting
    if (member.group_id, member.committee_id) != (meeting.group_id, meeting.committee_id):
        raise MeetingError(f"Choose a member of this {meeting.body.noun}.", field="member")
    declaration = create_recorded(
        Declaration,
        by=by,
        item=item,
        member=member,
        interest=interest,
        managed_by=managed_by,
        excluded=excluded,
    )
    audit.record(actor=by, verb=events.INTEREST_DECLARED, target=declaration)
    return declaration


@transaction.atomic
def action_add(
    *,
    by,
    meeting: Meeting,
    description: str,
    owner: str,
    due_date: datetime.date,
    item: AgendaItem | None = None,
) -> Action:
    if meeting.is_committee:
        raise MeetingError("Action logs are kept for oversight groups' meetings.")
    if item is not None and item.meeting_id != meeting.pk:
        raise MeetingError("Choose an item from this meeting's agenda.", field="item")
    action = create_recorded(
        Action,
        by=by,
        meeting=meeting,
        item=item,
        description=description,
        owner=owner,
        due_date=due_date,
    )
    audit.record(actor=by, verb=events.ACTION_ADDED, target=action)
    return action


ACTION_FIELDS = ["description", "owner", "due_date", "status"]


@transaction.atomic
def action_update(*, by, action: Action, version: int, **changes) -> Action:
    current = lock_version(Action, action.pk, version, ACTION_FIELDS)
    changed = [f for f in ACTION_FIELDS if f in changes and getattr(current, f) != changes[f]]
    for name in changed:
        setattr(current, name, changes[name])
    save_versioned(current, by=by, fields=changed)
    audit.record(actor=by, verb=events.ACTION_UPDATED, target=current, fields=changed)
    return current


@transaction.atomic
def recommendation_make(
    *, by, meeting: Meeting, title: str, detail: str, item: AgendaItem | None = None
) -> Recommendation:
    """The group's recommendation to its regional team, made at a meeting that has been held."""
    if meeting.is_committee:
        raise MeetingError("A committee decides; only an oversight group makes recommendations.")
    if not meeting.is_held:
        raise MeetingError("Recommendations are made at a meeting that has been held.")
    if item is not None and item.meeting_id != meeting.pk:
        raise MeetingError("Choose an item from this meeting's agenda.", field="item")
    recommendation = create_recorded(
        Recommendation,
        by=by,
        meeting=meeting,
        item=item,
        title=title,
        detail=detail,
        made_on=timezone.localtime(meeting.starts_at).date(),
    )
    audit.record(actor=by, verb=events.RECOMMENDATION_MADE, target=recommendation)
    return recommendation


@transaction.atomic
def recommendation_respond(
    *, by, recommendation: Recommendation, version: int, status: str, rationale: str
) -> Recommendation:
    """The region's response. A response may be revised later; each one stays in history."""
    current = lock_version(Recommendation, recommendation.pk, version, ["status", "rationale"])
    if status == Recommendation.Status.AWAITING:
        raise MeetingError("Choose the region's response.", field="status")
    if not rationale.strip():
        raise MeetingError("Give the region's rationale.", field="rationale")
    current.status, current.rationale = status, rationale.strip()
    current.responded_at, current.responded_by = timezone.now(), by
    save_versioned(current, by=by, fields=["status", "rationale", "responded_at", "responded_by"])
    audit.record(actor=by, verb=events.RECOMMENDATION_RESPONDED, target=current, status=status)
    return current


@transaction.atomic
def paper_attach(*, by, item: AgendaItem, title: str, file) -> Paper:
    """Attach a paper to an agenda item: PDF or DOCX judged by content, under the size limit."""
    try:
        content_type, name = validate_upload(file)
    except ValidationError as invalid:
        raise MeetingError(invalid.messages[0], field="file") from invalid
    paper = Paper(
        item=item,
        title=title.strip() or file.name[:200],
        original_filename=file.name[:255],
        content_type=content_type,
        size=file.size,
        uploaded_by=by,
    )
    paper.file.save(name, file, save=False)
    attribute_to(paper, by)
    paper.save()
    audit.record(actor=by, verb=events.PAPER_ATTACHED, target=paper)
    return paper
