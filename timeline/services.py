"""Every change to the planning calendar, completions, preferences and calendar feeds: named,
atomic, audited, version-locked."""

import datetime
from typing import overload

from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning import audit
from commissioning.concurrency import attribute_to, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import RuleError

from . import events
from .models import (
    CalendarFeed,
    CalendarMilestone,
    EngagementMeeting,
    MilestoneCompletion,
    NotificationPreference,
    Satisfier,
)


class TimelineError(RuleError):
    """A change to the timeline that breaks a rule (see RuleError)."""


MILESTONE_FIELDS = [
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
]


def _financial_year(year: int) -> tuple[datetime.date, datetime.date]:
    # The calendar may open before 1 April (March workshops) and runs to 31 March.
    return datetime.date(year, 1, 1), datetime.date(year + 1, 3, 31)


def _check(year: int, fields: dict) -> None:
    if not (fields.get("title") or "").strip():
        raise TimelineError("Give the milestone a title.", field="title")
    first, last = _financial_year(year)
    due, starts = fields.get("due_on"), fields.get("starts_on")
    if due is None:
        raise TimelineError("Enter the date it is due by.", field="due_on")
    if not first <= due <= last:
        raise TimelineError(
            f"The due date must fall between {nhs_date(first)} and {nhs_date(last)}.",
            field="due_on",
        )
    if starts is not None and starts > due:
        raise TimelineError("The start must be on or before the due date.", field="starts_on")
    if not (
        fields.get("for_national_admins")
        or fields.get("for_hub_staff")
        or fields.get("for_ccg_leads")
        or fields.get("for_regional_teams")
    ):
        raise TimelineError(
            "Say whom the milestone concerns: hub staff, CCG leads or regional teams.",
            field="for_hub_staff",
        )
    if fields.get("every_ccg") and not fields.get("for_ccg_leads"):
        raise TimelineError(
            "A milestone every CCG must meet concerns CCG leads.", field="for_ccg_leads"
        )


@transaction.atomic
def milestone_add(*, by, year: int, **fields) -> CalendarMilestone:
    _check(year, fields)
    milestone = CalendarMilestone(
        year=year, **{k: fields[k] for k in MILESTONE_FIELDS if k in fields}
    )
    milestone.title = milestone.title.strip()
    attribute_to(milestone, by)
    milestone.save()
    audit.record(actor=by, verb=events.MILESTONE_CALENDAR_ADDED, target=milestone)
    return milestone


@transaction.atomic
def milestone_update(
    *, by, milestone: CalendarMilestone, version: int, **fields
) -> CalendarMilestone:
    current = lock_version(CalendarMilestone, milestone.pk, version, MILESTONE_FIELDS)
    _check(current.year, {**{f: getattr(current, f) for f in MILESTONE_FIELDS}, **fields})
    changed = [f for f in MILESTONE_FIELDS if f in fields and getattr(current, f) != fields[f]]
    for name in changed:
        setattr(current, name, fields[name])
    save_versioned(current, by=by, fields=changed)
    audit.record(actor=by, verb=events.MILESTONE_CALENDAR_CHANGED, target=current, fields=changed)
    return current


@transaction.atomic
def milestone_archive(*, by, milestone: CalendarMilestone, version: int) -> CalendarMilestone:
    """Take a milestone off the calendar: its reminders stop; its history stays."""
    current = lock_version(CalendarMilestone, milestone.pk, version, ["archived"])
    current.archived = True
    save_versioned(current, by=by, fields=["archived"])
    audit.record(actor=by, verb=events.MILESTONE_CALENDAR_ARCHIVED, target=current)
    return current


@overload
def _shift(day: datetime.date, years: int) -> datetime.date: ...
@overload
def _shift(day: None, years: int) -> None: ...
def _shift(day: datetime.date | None, years: int) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def calendar_seed(*, by, year: int = 2015) -> list[CalendarMilestone]:
    """The seed's 2015/16 cycle (shifted to `year`), unless the year has a calendar already."""
    if CalendarMilestone.objects.filter(year=year).exists():
        raise TimelineError(f"{year} already has a calendar.", field="year")
    from .cycle import SEED_2015

    made = []
    for seed in SEED_2015:
        milestone = CalendarMilestone(
            year=year,
            **{
                **seed.fields(),
                "starts_on": _shift(seed.starts_on, year - 2015),
                "due_on": _shift(seed.due_on, year - 2015),
            },
        )
        attribute_to(milestone, by)
        milestone.save()
        made.append(milestone)
    audit.record(
        actor=by,
        verb=events.MILESTONE_CALENDAR_SEEDED,
        target=None,
        target_label=f"calendar {year}",
    )
    return made


@transaction.atomic
def calendar_roll_forward(*, by, year: int) -> list[CalendarMilestone]:
    """Copy a year's live milestones to the next year, a year later; this year is untouched."""
    source = list(CalendarMilestone.objects.filter(year=year, archived=False))
    if not source:
        raise TimelineError(f"{year} has no milestones to roll forward.")
    if CalendarMilestone.objects.filter(year=year + 1).exists():
        raise TimelineError(f"{year + 1} already has a calendar: change it there.")
    made = []
    for m in source:
        copy = CalendarMilestone(
            year=year + 1,
            **{
                **{f: getattr(m, f) for f in MILESTONE_FIELDS},
                "starts_on": _shift(m.starts_on, 1),
                "due_on": _shift(m.due_on, 1),
            },
        )
        attribute_to(copy, by)
        copy.save()
        made.append(copy)
    audit.record(
        actor=by,
        verb=events.MILESTONE_CALENDAR_ROLLED_FORWARD,
        target=None,
        target_label=f"calendar {year} to {year + 1}",
        count=len(made),
    )
    return made


@transaction.atomic
def milestone_complete(
    *, by, milestone: CalendarMilestone, hub, note: str = ""
) -> MilestoneCompletion:
    """Hub staff mark done a milestone that no record satisfies."""
    if milestone.satisfied_by == Satisfier.NATIONAL_DONE:
        raise TimelineError("National admins mark this milestone done, for every hub.")
    if milestone.satisfied_by != Satisfier.MANUAL:
        record = milestone.get_satisfied_by_display().lower()
        raise TimelineError(f"This milestone is done when the record exists: {record}.")
    if milestone.archived:
        raise TimelineError("This milestone is no longer on the calendar.")
    from accounts.permissions import scopes

    s = scopes(by)
    if not (
        (milestone.for_hub_staff and hub.pk in s.hub_ids)
        or (milestone.for_regional_teams and hub.region_id in s.region_ids)
        or (milestone.for_ccg_leads and hub.pk in s.hub_ids)
    ):
        raise TimelineError(f"This milestone is for {milestone.audience_label}: they mark it done.")
    try:
        with transaction.atomic():
            completion = MilestoneCompletion.objects.create(
                milestone=milestone, hub=hub, note=note.strip()[:300], completed_by=by
            )
    except IntegrityError as clash:
        raise TimelineError("This milestone is already marked done.") from clash
    audit.record(actor=by, verb=events.MILESTONE_CALENDAR_COMPLETED, target=milestone, hub=hub.slug)
    return completion


@transaction.atomic
def milestone_complete_nationally(
    *, by, milestone: CalendarMilestone, note: str = ""
) -> MilestoneCompletion:
    """National admins mark done, once for every hub, a milestone that is theirs (seed 000
    §4.1.1: the guidance published)."""
    from accounts.permissions import scopes

    if milestone.satisfied_by != Satisfier.NATIONAL_DONE:
        raise TimelineError("Only a milestone national admins meet is marked done nationally.")
    if milestone.archived:
        raise TimelineError("This milestone is no longer on the calendar.")
    if not scopes(by).national:
        raise TimelineError("National admins mark this milestone done.")
    try:
        with transaction.atomic():
            completion = MilestoneCompletion.objects.create(
                milestone=milestone, hub=None, note=note.strip()[:300], completed_by=by
            )
    except IntegrityError as clash:
        raise TimelineError("This milestone is already marked done.") from clash
    audit.record(actor=by, verb=events.MILESTONE_CALENDAR_COMPLETED, target=milestone)
    return completion


@transaction.atomic
def engagement_meeting_record(
    *, by, hub, held_on: datetime.date, title: str, note: str = ""
) -> EngagementMeeting:
    """Hub staff record a meeting or workshop the hub held with its CCGs. It may come before
    the hub's oversight group started (seed 000 §4.1.1: the March 2015 workshops)."""
    from accounts.permissions import scopes

    if hub.pk not in scopes(by).hub_ids:
        raise TimelineError("The hub's staff record its meetings with CCGs.")
    if not title.strip():
        raise TimelineError("Say what the meeting was.", field="title")
    if held_on is None:
        raise TimelineError("Enter the date it was held.", field="held_on")
    if held_on > timezone.localdate():
        raise TimelineError("Record a meeting once it has been held.", field="held_on")
    meeting = EngagementMeeting(
        hub=hub, held_on=held_on, title=title.strip()[:200], note=note.strip(), recorded_by=by
    )
    attribute_to(meeting, by)
    meeting.save()
    audit.record(actor=by, verb=events.ENGAGEMENT_MEETING_RECORDED, target=meeting, hub=hub.slug)
    return meeting


@transaction.atomic
def preference_set(*, by, email: str, mute_non_essential: bool) -> NotificationPreference:
    pref, _ = NotificationPreference.objects.get_or_create(user=by)
    pref.email, pref.mute_non_essential = email, mute_non_essential
    attribute_to(pref, by)
    pref.save()
    audit.record(actor=by, verb=events.NOTIFICATIONS_PREFERENCES_SET, target=pref, email=email)
    return pref


def feed_for(user) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    return feed or feed_renew(by=user)


@transaction.atomic
def feed_renew(*, by) -> CalendarFeed:
    """A new private address; the old one stops working at once."""
    CalendarFeed.objects.filter(user=by, revoked_at__isnull=True).update(revoked_at=timezone.now())
    feed = CalendarFeed.objects.create(user=by)
    audit.record(actor=by, verb=events.CALENDAR_FEED_RENEWED, target=feed)
    return feed
