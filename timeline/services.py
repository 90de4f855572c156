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
    MilestoneCompletion,
    NotificationPreference,
    Satisfier,
)


class TimelineError(RuleError):
    """A change to the timeline that breaks a rule (see RuleError)."""


MILESTONE_FIELDS = [
    "title",
    "description",
    "starts_on",
    "due_on",
    "for_hub_staff",
    "for_ccg_leads",
    "for_regional_teams",
    "satisfied_by",
]

# Seed 000, section 4.1: the 2015/16 planning cycle.
SEED_2015 = [
    (
        "Guidance published",
        "National guidance on collaborative commissioning oversight groups is published.",
        None,
        datetime.date(2015, 3, 6),
        (False, False, True),
        Satisfier.MANUAL,
    ),
    (
        "Hub workshop with its CCGs",
        "Review governance, share priority areas (access, quality, equity) and agree emerging "
        "priorities.",
        datetime.date(2015, 3, 1),
        datetime.date(2015, 3, 31),
        (True, True, False),
        Satisfier.MEETING_HELD,
    ),
    (
        "CCG priority proposals submitted",
        "Each CCG proposes its priorities for the hub's plan.",
        datetime.date(2015, 3, 15),
        datetime.date(2015, 4, 24),
        (False, True, False),
        Satisfier.PROPOSAL_SUBMITTED,
    ),
    (
        "Draft governance proposal and priorities plan",
        "Each hub has a draft proposal for its governance and a service priorities plan.",
        datetime.date(2015, 4, 1),
        datetime.date(2015, 5, 8),
        (True, False, False),
        Satisfier.PLAN_SUBMITTED,
    ),
    (
        "Ready for the first peer review",
        "The hub declares readiness for the peer review of its plan and governance.",
        datetime.date(2015, 5, 1),
        datetime.date(2015, 5, 15),
        (True, False, False),
        Satisfier.READINESS_DECLARED,
    ),
    (
        "First peer review and assurance of plans",
        "Peer review and assurance of each hub's plan, by the end of May.",
        datetime.date(2015, 5, 1),
        datetime.date(2015, 5, 29),
        (False, False, True),
        Satisfier.FIRST_REPORT_ISSUED,
    ),
    (
        "Input into national commissioning intentions",
        "Input into next year's national commissioning intentions; revised local priorities.",
        datetime.date(2015, 9, 1),
        datetime.date(2015, 9, 30),
        (True, True, False),
        Satisfier.MANUAL,
    ),
    (
        "Next year's plan started",
        "Develop next year's plan, capturing the full-year benefits of this year's priorities.",
        datetime.date(2015, 10, 1),
        datetime.date(2015, 10, 30),
        (True, False, False),
        Satisfier.NEXT_PLAN_STARTED,
    ),
    (
        "Second peer review",
        "Improvements made, how the collaborative functions, and learning to share.",
        datetime.date(2015, 12, 1),
        datetime.date(2016, 3, 31),
        (False, False, True),
        Satisfier.SECOND_REPORT_ISSUED,
    ),
    (
        "Planning and contracting for next year",
        "Finalise planning and support contracting for the next financial year.",
        datetime.date(2016, 1, 4),
        datetime.date(2016, 3, 31),
        (True, False, False),
        Satisfier.MANUAL,
    ),
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
        fields.get("for_hub_staff")
        or fields.get("for_ccg_leads")
        or fields.get("for_regional_teams")
    ):
        raise TimelineError(
            "Say whom the milestone concerns: hub staff, CCG leads or regional teams.",
            field="for_hub_staff",
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
    made = []
    for title, description, starts, due, (hub, ccg, region), satisfier in SEED_2015:
        milestone = CalendarMilestone(
            year=year,
            title=title,
            description=description,
            starts_on=_shift(starts, year - 2015),
            due_on=_shift(due, year - 2015),
            for_hub_staff=hub,
            for_ccg_leads=ccg,
            for_regional_teams=region,
            satisfied_by=satisfier,
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
            title=m.title,
            description=m.description,
            starts_on=_shift(m.starts_on, 1),
            due_on=_shift(m.due_on, 1),
            for_hub_staff=m.for_hub_staff,
            for_ccg_leads=m.for_ccg_leads,
            for_regional_teams=m.for_regional_teams,
            satisfied_by=m.satisfied_by,
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
