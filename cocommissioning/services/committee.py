"""Decisions at committee meetings (issue 15, "What to build" 5): a recommended delegated
application goes on the agenda of a Commissioning Committee meeting, and the committee decides
it there (seed 002, "Model 3: Delegated arrangements" and "Sign-off and approvals": the
Commissioning Committee signs off). The decision records who took part and who was excluded
for a declared interest, and counts the quorum without the excluded. (A joint application's
joint committee is set up when the region approves it: applications.application_approve.)"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning.concurrency import lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import RuleError, StateConflict
from meetings import services as meetings
from meetings.models import AgendaItem, Attendance, Meeting
from meetings.quorum import present_members, quorum_for, rule_for_meeting
from oversight.models import Committee

from .. import emails
from ..models import AgendaEntry, Application, Model
from .applications import _create, _decide, _record, party_ccgs

Status = Application.Status
Outcome = AgendaEntry.Outcome


def agenda_meetings():
    """The Commissioning Committee's meetings still to be held, soonest first."""
    return Meeting.objects.filter(
        committee__kind=Committee.Kind.COMMISSIONING_COMMITTEE,
        committee__status=Committee.Status.ACTIVE,
        status=Meeting.Status.SCHEDULED,
    ).order_by("starts_at")


@transaction.atomic
def agenda_place(*, by, application: Application, version: int, meeting: Meeting) -> AgendaEntry:
    """Put a recommended delegated application on a scheduled Commissioning Committee
    meeting's agenda, as an item for decision naming its CCGs."""
    current = lock_version(Application, application.pk, version, ["status"])
    if current.model != Model.DELEGATED or current.status != Status.RECOMMENDED:
        raise StateConflict("Only a recommended delegated application goes to the committee.")
    if not agenda_meetings().filter(pk=meeting.pk).exists():
        raise RuleError(
            "Choose a scheduled meeting of the Commissioning Committee.", field="meeting"
        )
    ccgs = party_ccgs(current)
    names = ", ".join(c.name for c in ccgs)
    item = meetings.item_add(
        by=by,
        meeting=meeting,
        title=f"Delegated commissioning: {names}, from {nhs_date(current.go_live_on)}"[:200],
        purpose="decision",
        summary=(
            f"Recommended by the region, assured on conflicts of interest. "
            f"Application: {settings.SITE_URL}{current.get_absolute_url()}"
        ),
        concerns=names[:300],
    )
    try:
        with transaction.atomic():
            entry = _create(AgendaEntry, by, application=current, item=item)
    except IntegrityError as clash:
        raise RuleError(
            "The application is already on a meeting's agenda awaiting decision.", field="meeting"
        ) from clash
    _record(by, "application.on_agenda", current, meeting=meeting.pk, item=item.pk)
    return entry


def _decision_record(entry: AgendaEntry) -> tuple[list[dict], list[dict], str, list[str]]:
    """Who took part, who was excluded, the quorum, and what stops it (for one decision)."""
    item = entry.item
    meeting = item.meeting
    attendance = list(Attendance.objects.filter(meeting=meeting).select_related("member"))
    declarations = list(item.declarations.select_related("member"))
    out = frozenset(d.member_id for d in declarations if d.excluded)
    quorum = quorum_for(attendance, rule_for_meeting(meeting), excluded=out)
    took_part = [
        {
            "name": m.full_name,
            "organisation": m.organisation,
            "role": m.get_role_display(),
            "voting": m.voting,
        }
        for m in sorted(present_members(attendance, out), key=lambda m: m.full_name)
    ]
    present = {a.member_id for a in attendance if a.status == Attendance.Status.PRESENT}
    excluded = [
        {
            "name": d.member.full_name,
            "organisation": d.member.organisation,
            "interest": d.interest,
            "managed_by": d.managed_by,
        }
        for d in declarations
        if d.excluded and d.member_id in present
    ]
    met = "Quorate" if quorum.met else "Not quorate"
    return took_part, excluded, f"{met}: {quorum.rule}."[:300], quorum.shortfall


@transaction.atomic
def application_decide(
    *, by, application: Application, version: int, outcome: str, reasons: str = ""
) -> AgendaEntry:
    """Record the Commissioning Committee's decision on the application's agenda item at a
    meeting that has been held: signed off (implementing for its go-live date), not approved
    (with reasons) or deferred (it may go on a later agenda)."""
    current = lock_version(Application, application.pk, version, ["status"])
    if current.status != Status.RECOMMENDED:
        raise StateConflict("Only an application the region has recommended can be decided.")
    entry = (
        AgendaEntry.objects.select_for_update(of=("self",))
        .filter(application=current, outcome=Outcome.PENDING)
        .select_related("item__meeting__committee")
        .first()
    )
    if entry is None:
        raise RuleError("Put the application on a committee meeting's agenda first.")
    if outcome not in (Outcome.SIGNED_OFF, Outcome.NOT_APPROVED, Outcome.DEFERRED):
        raise RuleError("Choose the committee's decision.", field="outcome")
    meeting_status = entry.item.meeting.status
    if meeting_status == Meeting.Status.SCHEDULED:
        raise RuleError("Record the decision once the meeting is marked as held.", field="outcome")
    if meeting_status == Meeting.Status.CANCELLED and outcome != Outcome.DEFERRED:
        raise RuleError(
            "The meeting was cancelled: record the application as deferred, then put it on"
            " another meeting's agenda.",
            field="outcome",
        )
    reasons = reasons.strip()
    if outcome == Outcome.NOT_APPROVED and not reasons:
        raise RuleError("Give the reasons the application is not approved.", field="reasons")
    took_part, excluded, quorum, shortfall = _decision_record(entry)
    if outcome != Outcome.DEFERRED and shortfall:
        raise RuleError(
            "The committee was not quorate for this item: " + " ".join(shortfall),
            field="outcome",
        )
    entry.outcome, entry.reasons = outcome, reasons
    entry.took_part, entry.excluded, entry.quorum = took_part, excluded, quorum
    entry.decided_at, entry.decided_by = timezone.now(), by
    save_versioned(
        entry,
        by=by,
        fields=[
            "outcome",
            "reasons",
            "took_part",
            "excluded",
            "quorum",
            "decided_at",
            "decided_by",
        ],
    )
    _item_outcome(by, entry.item, entry)
    meeting = entry.item.meeting.pk
    held_at = entry.item.meeting.starts_at  # the decision's date is the meeting's
    if outcome == Outcome.SIGNED_OFF:
        _decide(current, by, Status.IMPLEMENTING, reasons, at=held_at)
        _record(by, "application.signed_off", current, meeting=meeting, item=entry.item_id)
        emails.owe(current, "signed_off")
    elif outcome == Outcome.NOT_APPROVED:
        _decide(current, by, Status.NOT_APPROVED, reasons, at=held_at)
        _record(by, "application.not_approved", current, reason=reasons, meeting=meeting)
        emails.owe(current, "not_approved")
    else:
        _record(by, "application.deferred", current, meeting=meeting, item=entry.item_id)
    return entry


def _item_outcome(by, item: AgendaItem, entry: AgendaEntry) -> None:
    """The decision, as the meeting's minutes of the item show it."""
    text = entry.get_outcome_display()
    if entry.reasons:
        text += f". {entry.reasons}"
    names = "; ".join(p["name"] for p in entry.took_part) or "nobody"
    text += f"\nTook part: {names}."
    if entry.excluded:
        text += "\nExcluded for a declared interest: "
        text += "; ".join(f"{e['name']} ({e['interest']})" for e in entry.excluded) + "."
    meetings.item_update(by=by, item=item, version=item.version, decision=text)
