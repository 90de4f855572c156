"""The reminder rules: when each rule's reminder for an item falls, and what it says."""

import datetime

from django.db import transaction

from commissioning.dates import nhs_date

from ..models import ReminderRule
from ..workdays import WorkingDays
from .items import Item

# Working days a missed reminder is still sent late (a sweep missed while the worker was down).
CATCH_UP_WORKING_DAYS = 5

DEFAULT_RULES = [
    ("10 working days before", ReminderRule.Kind.BEFORE, 10, False),
    ("3 working days before", ReminderRule.Kind.BEFORE, 3, False),
    ("On the day", ReminderRule.Kind.ON_DAY, 0, True),
    ("Every 5 working days while overdue", ReminderRule.Kind.OVERDUE, 5, False),
    ("Escalation after 10 working days overdue", ReminderRule.Kind.ESCALATION, 10, True),
]


def occurrence(rule: ReminderRule, due: datetime.date, today: datetime.date, wd: WorkingDays):
    """The working day of this rule's most recent reminder for an item due on `due`, if it
    falls on or before today and within the catch-up window; else None."""
    earliest = wd.before(today, CATCH_UP_WORKING_DAYS) if CATCH_UP_WORKING_DAYS else today
    day = None
    if rule.kind == ReminderRule.Kind.BEFORE:
        if due < today:
            return None
        day = wd.before(due, rule.working_days)
    elif rule.kind == ReminderRule.Kind.ON_DAY:
        day = wd.on_or_before(due)
    elif rule.kind == ReminderRule.Kind.OVERDUE:
        late = wd.between(due, today)
        step = max(rule.working_days, 1)
        if late < step:
            return None
        day = wd.after(due, (late // step) * step)
    elif rule.kind == ReminderRule.Kind.ESCALATION:
        day = wd.after(due, rule.working_days)
    if day is None or day > today or day < earliest:
        return None
    return day


def _ahead(rules: list[ReminderRule]) -> int:
    """How many working days before its due date the earliest reminder goes."""
    return max((r.working_days for r in rules if r.kind == ReminderRule.Kind.BEFORE), default=0)


def _subject(rule: ReminderRule, item: Item) -> str:
    due = nhs_date(item.due_on)
    if rule.kind == ReminderRule.Kind.BEFORE:
        return f"Due {due}: {item.title}"
    if rule.kind == ReminderRule.Kind.ON_DAY:
        return f"Due today, {due}: {item.title}"
    if rule.kind == ReminderRule.Kind.OVERDUE:
        return f"Overdue since {due}: {item.title}"
    return f"Escalation, overdue since {due}: {item.title}"


def ensure_default_rules() -> list[ReminderRule]:
    """The rules, the defaults made the first time. Made in one transaction: a sweep running
    at the same moment sees none of them or all, never the first few (it would then claim
    "3 working days before" where this one claims "On the day", and both would be sent: the
    overlapping-sweeps fault test caught that, once in many runs)."""
    rules = list(ReminderRule.objects.all())
    if rules:
        return rules
    with transaction.atomic():
        for name, kind, days, essential in DEFAULT_RULES:
            ReminderRule.objects.get_or_create(
                name=name, defaults={"kind": kind, "working_days": days, "essential": essential}
            )
    return list(ReminderRule.objects.all())


def _current(rules, item: "Item", today: datetime.date, wd: WorkingDays):
    """The reminders due for an item today: each rule's occurrence in the catch-up window, but
    of the reminders to the item's own people only the newest (a "due in 3 days" missed while
    the worker was down is not sent beside "due today"); escalations go as well."""
    due = [(rule, occurrence(rule, item.due_on, today, wd)) for rule in rules]
    due = [(rule, day) for rule, day in due if day is not None]
    escalations = [(r, d) for r, d in due if r.kind == ReminderRule.Kind.ESCALATION]
    reminders = [(r, d) for r, d in due if r.kind != ReminderRule.Kind.ESCALATION]
    newest = [max(reminders, key=lambda rd: rd[1])] if reminders else []
    return newest + escalations
