"""What the sweep will send in the coming days (for the reminders admin page)."""

import datetime

from django.utils import timezone

from ..models import ReminderRule
from ..workdays import WorkingDays
from .items import OVERDUE_HORIZON_DAYS, Recipients, items_due
from .rules import _ahead, ensure_default_rules, occurrence


def upcoming(days: int = 14, *, today: datetime.date | None = None) -> list[tuple]:
    """What the sweep will send in the next `days` days (for the admin view): (day, rule,
    item, recipient count), not yet claimed."""
    today = today or timezone.localdate()
    wd = WorkingDays(today - datetime.timedelta(days=OVERDUE_HORIZON_DAYS + 31), today)
    people = Recipients(today)
    rules = [r for r in ensure_default_rules() if r.active]
    items = items_due(
        today + datetime.timedelta(days=days), wd, people, ahead_working_days=_ahead(rules)
    )
    result = []
    day = today + datetime.timedelta(days=1)
    end = today + datetime.timedelta(days=days)
    for item in items:
        for rule in rules:
            when = occurrence(rule, item.due_on, end, WorkingDays(day, end))
            if when is None or when < day:
                continue
            to = item.escalate_to if rule.kind == ReminderRule.Kind.ESCALATION else item.recipients
            if to:
                result.append((when, rule, item, len(to)))
    result.sort(key=lambda r: (r[0], r[2].title))
    return result
