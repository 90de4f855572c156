"""The reminder sweep: what is due to whom today, claimed exactly once, then delivered.

Each reminder is a row in ReminderClaim, unique on (rule, item, recipient, occurrence). A sweep
works out every reminder whose occurrence falls between the catch-up window and today, inserts
them all with ON CONFLICT DO NOTHING under its own sweep id, and delivers only the rows that
carry that id: two overlapping sweeps, a retry or a rerun after a crash never deliver one twice,
and a sweep missed while Redis or the worker was down is made good by the next. Emails are sent
by a task per batch; a claim is taken for sending by a conditional update, failures are retried
with back-off, and a final failure is recorded for admins.
"""

import datetime
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from hubs.models import CCG, Hub
from meetings.models import Action
from reviews.models import ReviewRecommendation

from .models import (
    CalendarMilestone,
    Notification,
    NotificationPreference,
    ReminderClaim,
    ReminderRule,
)
from .status import records_for
from .workdays import WorkingDays

logger = logging.getLogger(__name__)

# Working days a missed reminder is still sent late (a sweep missed while the worker was down).
CATCH_UP_WORKING_DAYS = 5
# Reminders stop this many calendar days after the due date: an item overdue that long is a
# matter for the regional team's oversight, not a nag every week for ever.
OVERDUE_HORIZON_DAYS = 120
MAX_ATTEMPTS = 5
SEND_BATCH = 50
# A claim "sending" for longer than this is taken to have died with its worker.
STALE_SENDING = datetime.timedelta(minutes=10)

DEFAULT_RULES = [
    ("10 working days before", ReminderRule.Kind.BEFORE, 10, False),
    ("3 working days before", ReminderRule.Kind.BEFORE, 3, False),
    ("On the day", ReminderRule.Kind.ON_DAY, 0, True),
    ("Every 5 working days while overdue", ReminderRule.Kind.OVERDUE, 5, False),
    ("Escalation after 10 working days overdue", ReminderRule.Kind.ESCALATION, 10, True),
]


@dataclass(frozen=True)
class Item:
    """Something with a due date that people are reminded of."""

    key: str
    title: str
    due_on: datetime.date
    link: str
    hub_id: int
    region_id: int
    recipients: tuple[int, ...]
    escalate_to: tuple[int, ...]


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


class Recipients:
    """Who holds which role where, loaded once per sweep (3 queries)."""

    def __init__(self, today: datetime.date):
        self.hub_staff: dict[int, set[int]] = defaultdict(set)
        self.ccg_leads: dict[int, set[int]] = defaultdict(set)  # ccg → users
        self.regional: dict[int, set[int]] = defaultdict(set)
        self.national: set[int] = set()
        for user_id, role, hub_id, ccg_id, region_id in (
            RoleAssignment.objects.active()
            .filter(user__is_active=True)
            .values_list("user_id", "role", "hub_id", "ccg_id", "region_id")
        ):
            if role == Role.HUB_STAFF:
                self.hub_staff[hub_id].add(user_id)
            elif role == Role.CCG_LEAD:
                self.ccg_leads[ccg_id].add(user_id)
            elif role == Role.REGIONAL_TEAM:
                self.regional[region_id].add(user_id)
            elif role == Role.NATIONAL_ADMIN:
                self.national.add(user_id)
        self.footprint: dict[int, list[int]] = defaultdict(list)
        for ccg_id, hub_id in (
            CCG.objects.filter(valid_from__lte=today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .values_list("pk", "hub_id")
        ):
            self.footprint[hub_id].append(ccg_id)


def items_due(
    today: datetime.date, wd: WorkingDays, people: Recipients, *, ahead_working_days: int = 0
) -> list[Item]:
    """Every open item whose reminders could fall due around today, with its recipients:
    due up to a month ahead, or further if a rule reminds `ahead_working_days` before."""
    from django.urls import reverse

    window_start = today - datetime.timedelta(days=OVERDUE_HORIZON_DAYS)
    window_end = max(today + datetime.timedelta(days=31), wd.after(today, ahead_working_days))
    hubs = {h.pk: h for h in Hub.objects.all()}
    items: list[Item] = []
    milestones = list(
        CalendarMilestone.objects.filter(
            archived=False, due_on__gte=window_start, due_on__lte=window_end
        )
    )
    if milestones:
        records = records_for(hubs, {m.year for m in milestones})
        for m in milestones:
            for hub in hubs.values():
                if records.hub_done(m, hub.pk) and not m.for_ccg_leads:
                    continue
                recipients: set[int] = set()
                hub_done = records.hub_done(m, hub.pk)
                if m.for_hub_staff and not hub_done:
                    recipients |= people.hub_staff[hub.pk]
                if m.for_regional_teams and not hub_done:
                    recipients |= people.regional[hub.region_id]
                if m.for_ccg_leads:
                    for ccg_id in people.footprint[hub.pk]:
                        if not records.ccg_done(m, ccg_id, hub.pk):
                            recipients |= people.ccg_leads[ccg_id]
                if not recipients:
                    continue
                concerns_only_region = m.for_regional_teams and not (
                    m.for_hub_staff or m.for_ccg_leads
                )
                escalate = (
                    people.national if concerns_only_region else people.regional[hub.region_id]
                )
                items.append(
                    Item(
                        key=f"milestone:{m.pk}:hub:{hub.pk}",
                        title=f"{m.title} ({hub.name})",
                        due_on=m.due_on,
                        link=records.link(m, hub),
                        hub_id=hub.pk,
                        region_id=hub.region_id,
                        recipients=tuple(sorted(recipients)),
                        escalate_to=tuple(sorted(escalate)),
                    )
                )
    for action in Action.objects.filter(
        status=Action.Status.OPEN, due_date__gte=window_start, due_date__lte=window_end
    ).select_related("meeting__group__hub"):
        hub = action.meeting.group.hub
        items.append(
            Item(
                key=f"action:{action.pk}",
                title=f"Action: {action.description} ({hub.name})",
                due_on=action.due_date,
                link=reverse("meetings:meeting-detail", args=[action.meeting_id])
                + f"#action-{action.pk}",
                hub_id=hub.pk,
                region_id=hub.region_id,
                recipients=tuple(sorted(people.hub_staff[hub.pk])),
                escalate_to=tuple(sorted(people.regional[hub.region_id])),
            )
        )
    for rec in (
        ReviewRecommendation.objects.filter(
            archived=False,
            due_date__gte=window_start,
            due_date__lte=window_end,
            review__reports__isnull=False,
        )
        .exclude(status=ReviewRecommendation.Status.CLOSED)
        .select_related("review__hub")
        .distinct()
    ):
        hub = rec.review.hub
        items.append(
            Item(
                key=f"recommendation:{rec.pk}",
                title=f"Peer review recommendation: {rec.title} ({hub.name})",
                due_on=rec.due_date,
                link=reverse("reviews:review-detail", args=[rec.review_id])
                + "#recommendations-heading",
                hub_id=hub.pk,
                region_id=hub.region_id,
                recipients=tuple(sorted(people.hub_staff[hub.pk])),
                escalate_to=tuple(sorted(people.regional[hub.region_id])),
            )
        )
    return items


def _ahead(rules: list[ReminderRule]) -> int:
    """How many working days before its due date the earliest reminder goes."""
    return max((r.working_days for r in rules if r.kind == ReminderRule.Kind.BEFORE), default=0)


def _subject(rule: ReminderRule, item: Item) -> str:
    due = f"{item.due_on:%-d %B %Y}"
    if rule.kind == ReminderRule.Kind.BEFORE:
        return f"Due {due}: {item.title}"
    if rule.kind == ReminderRule.Kind.ON_DAY:
        return f"Due today, {due}: {item.title}"
    if rule.kind == ReminderRule.Kind.OVERDUE:
        return f"Overdue since {due}: {item.title}"
    return f"Escalation, overdue since {due}: {item.title}"


@dataclass
class SweepResult:
    sweep: str
    claimed: int
    requeued: int


def ensure_default_rules() -> list[ReminderRule]:
    rules = list(ReminderRule.objects.all())
    if rules:
        return rules
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


def reminders_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Claim and deliver every reminder due by now. Safe to run at any time, as often as you
    like, and concurrently with itself."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    rules = [r for r in ensure_default_rules() if r.active]
    wd = WorkingDays(today - datetime.timedelta(days=OVERDUE_HORIZON_DAYS + 31), today)
    people = Recipients(today)
    sweep = uuid.uuid4().hex
    claims: list[ReminderClaim] = []
    for item in items_due(today, wd, people, ahead_working_days=_ahead(rules)):
        for rule, day in _current(rules, item, today, wd):
            to = item.escalate_to if rule.kind == ReminderRule.Kind.ESCALATION else item.recipients
            subject = _subject(rule, item)[:250]
            claims.extend(
                ReminderClaim(
                    rule=rule,
                    item_key=item.key,
                    recipient_id=user_id,
                    occurrence=day,
                    due_on=item.due_on,
                    subject=subject,
                    link=item.link[:300],
                    essential=rule.essential,
                    sweep=sweep,
                )
                for user_id in to
            )
    with transaction.atomic():
        ReminderClaim.objects.bulk_create(claims, batch_size=1000, ignore_conflicts=True)
        mine = list(ReminderClaim.objects.filter(sweep=sweep))
        _deliver_in_app(mine)
    requeued = _requeue(now)
    return SweepResult(sweep=sweep, claimed=len(mine), requeued=requeued)


def _deliver_in_app(claims: list[ReminderClaim]) -> None:
    """Each new claim becomes an inbox entry (once: one per claim) and is routed to email now,
    the daily digest, or the inbox only for muted non-essential reminders."""
    if not claims:
        return
    prefs = {
        p.user_id: p
        for p in NotificationPreference.objects.filter(user_id__in={c.recipient_id for c in claims})
    }
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=c.recipient_id,
                claim=c,
                title=c.subject,
                link=c.link,
                essential=c.essential,
            )
            for c in claims
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    route: dict[str, list[int]] = defaultdict(list)
    for c in claims:
        pref = prefs.get(c.recipient_id)
        if pref and pref.mute_non_essential and not c.essential:
            route[ReminderClaim.Status.IN_APP].append(c.pk)
        elif pref and pref.email == NotificationPreference.Email.DIGEST and not c.essential:
            route[ReminderClaim.Status.DIGEST].append(c.pk)
        else:
            route[ReminderClaim.Status.PENDING].append(c.pk)
    for status, ids in route.items():
        if status != ReminderClaim.Status.PENDING:
            ReminderClaim.objects.filter(pk__in=ids).update(status=status)
    from . import notifications

    notifications.forget_unread({c.recipient_id for c in claims})
    pending = route.get(ReminderClaim.Status.PENDING, [])
    transaction.on_commit(lambda: queue_sends(pending))


def queue_sends(claim_ids: list[int]) -> None:
    """Queue the emails in batches. If the broker is down the claims stay pending and the next
    sweep queues them again: nothing is lost."""
    from .tasks import reminders_send

    for start in range(0, len(claim_ids), SEND_BATCH):
        batch = claim_ids[start : start + SEND_BATCH]
        try:
            reminders_send.delay(batch)
        except Exception:  # the broker is unreachable; the sweep retries later
            logger.warning("Could not queue %s reminder emails; the next sweep will.", len(batch))
            return


def _requeue(now: datetime.datetime) -> int:
    """Claims whose send was lost (a worker killed mid-send, a broker that was down) or whose
    retry is due go back to the queue."""
    ReminderClaim.objects.filter(
        status=ReminderClaim.Status.SENDING, next_attempt_at__lt=now - STALE_SENDING
    ).update(status=ReminderClaim.Status.PENDING)
    due = list(
        ReminderClaim.objects.filter(status=ReminderClaim.Status.PENDING)
        .filter(
            Q(next_attempt_at__lte=now)
            | Q(next_attempt_at__isnull=True, claimed_at__lt=now - datetime.timedelta(minutes=2))
        )
        .values_list("pk", flat=True)[:5000]
    )
    if due:
        transaction.on_commit(lambda: queue_sends(due))
    return len(due)


def _email(claims: list[ReminderClaim], user) -> EmailMultiAlternatives:
    context = {
        "user": user,
        "claims": claims,
        "site_url": settings.SITE_URL,
        "digest": len(claims) > 1,
    }
    subject = (
        claims[0].subject
        if len(claims) == 1
        else f"Your {len(claims)} reminders from Collaborative Commissioning"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/reminder-body.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("emails/reminder-body.html", context), "text/html")
    return message


def claim_send(claim_id: int, *, now: datetime.datetime | None = None) -> str | None:
    """Email one claimed reminder. Taken by a conditional update, so only one worker sends it;
    a failure is retried with back-off, and recorded as failed after MAX_ATTEMPTS."""
    now = now or timezone.now()
    taken = ReminderClaim.objects.filter(pk=claim_id, status=ReminderClaim.Status.PENDING).update(
        status=ReminderClaim.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now
    )
    if not taken:
        return None
    claim = ReminderClaim.objects.select_related("recipient").get(pk=claim_id)
    try:
        _email([claim], claim.recipient).send()
    except Exception as error:
        logger.warning("Reminder %s failed (attempt %s): %s", claim_id, claim.attempts, error)
        claim.error = f"{type(error).__name__}: {error}"[:2000]
        if claim.attempts >= MAX_ATTEMPTS:
            claim.status = ReminderClaim.Status.FAILED
        else:
            claim.status = ReminderClaim.Status.PENDING
            claim.next_attempt_at = now + datetime.timedelta(minutes=2**claim.attempts)
        claim.save(update_fields=["status", "error", "next_attempt_at"])
        return claim.status
    claim.status = ReminderClaim.Status.SENT
    claim.sent_at = timezone.now()
    claim.error = ""
    claim.save(update_fields=["status", "sent_at", "error"])
    return claim.status


def digest_send(*, now: datetime.datetime | None = None) -> int:
    """One email per person with every reminder waiting for their digest. Returns emails sent."""
    now = now or timezone.now()
    sent = 0
    users = (
        ReminderClaim.objects.filter(status=ReminderClaim.Status.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for user_id in list(users):
        token = uuid.uuid4().hex
        taken = ReminderClaim.objects.filter(
            recipient_id=user_id, status=ReminderClaim.Status.DIGEST
        ).update(status=ReminderClaim.Status.SENDING, sweep=token, next_attempt_at=now)
        if not taken:
            continue
        claims = list(
            ReminderClaim.objects.filter(sweep=token).select_related("recipient").order_by("due_on")
        )
        try:
            _email(claims, claims[0].recipient).send()
        except Exception as error:
            logger.warning("Digest for user %s failed: %s", user_id, error)
            ReminderClaim.objects.filter(sweep=token).update(
                status=ReminderClaim.Status.DIGEST, error=f"{type(error).__name__}: {error}"
            )
            continue
        ReminderClaim.objects.filter(sweep=token).update(
            status=ReminderClaim.Status.SENT, sent_at=timezone.now(), error=""
        )
        sent += 1
    return sent


def claim_resend(*, by, claim: ReminderClaim) -> ReminderClaim:
    """An admin sends a reminder again (say, after fixing an address). Audited."""
    from commissioning import audit

    ReminderClaim.objects.filter(pk=claim.pk).update(
        status=ReminderClaim.Status.PENDING, attempts=0, next_attempt_at=None, error=""
    )
    audit.record(actor=by, verb="reminder.resent", target=claim)
    transaction.on_commit(lambda: queue_sends([claim.pk]))
    claim.refresh_from_db()
    return claim


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
