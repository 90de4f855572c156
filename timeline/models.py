"""The planning cycle and its reminders.

A financial year's calendar is a set of milestones (seed 000, section 4.1), each concerning hub
staff, CCG leads and/or regional teams, and — where it can — satisfied by a record (the plan
submitted, a review report issued…). Reminders about milestones, meeting actions and review
recommendations are claimed once per (rule, item, recipient, occurrence) before anything is
sent, so overlapping sweeps, retries and restarts never send one twice.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning.dates import nhs_date
from commissioning.limits import LONG_TEXT
from commissioning.text import and_list
from hubs.models import Hub
from priorities.models import financial_year_label


class Satisfier(models.TextChoices):
    """The record that satisfies a milestone for a hub (or, for proposals, for a CCG)."""

    MANUAL = "manual", "Marked done by the hub"
    NATIONAL_DONE = "national_done", "Marked done by national admins (nobody is overdue for it)"
    GROUP_STARTED = "group_started", "The hub's oversight group has started"
    ENGAGEMENT_HELD = "engagement_held", "An engagement meeting with the hub's CCGs, recorded"
    GOVERNANCE_DRAFTED = "governance_drafted", "A governance proposal drafted for the group"
    FIRST_REVIEW_INVITED = "first_review_invited", "The region invited the first peer review"
    SECOND_REVIEW_INVITED = "second_review_invited", "The region invited the second peer review"
    MEETING_HELD = "meeting_held", "A meeting of the hub's group held by the date"
    PROPOSAL_SUBMITTED = "proposal_submitted", "Each CCG has submitted a proposal to the plan"
    PLAN_SUBMITTED = "plan_submitted", "The year's priorities plan submitted"
    READINESS_DECLARED = "readiness_declared", "Readiness for the first peer review declared"
    FIRST_REPORT_ISSUED = "first_report_issued", "First peer review report issued"
    NEXT_PLAN_STARTED = "next_plan_started", "Next year's plan started"
    SECOND_REPORT_ISSUED = "second_report_issued", "Second peer review report issued"


class CalendarMilestone(models.Model):
    year = models.PositiveSmallIntegerField(
        "Financial year starting", validators=[MinValueValidator(2013), MaxValueValidator(2100)]
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=LONG_TEXT)
    # db_default: rows made by older data migrations (0002, on its historical model) get it.
    section = models.CharField(
        "Source",
        max_length=60,
        blank=True,
        default="",
        db_default="",
        help_text="The seed section it comes from.",
    )
    starts_on = models.DateField("From", null=True, blank=True)
    due_on = models.DateField("Due by")
    for_national_admins = models.BooleanField("National admins", default=False, db_default=False)
    for_hub_staff = models.BooleanField("Hub staff", default=False)
    for_ccg_leads = models.BooleanField("CCG leads", default=False)
    for_regional_teams = models.BooleanField("Regional teams", default=False)
    satisfied_by = models.CharField(
        max_length=24, choices=Satisfier.choices, default=Satisfier.MANUAL
    )
    every_ccg = models.BooleanField(
        "Met by every CCG",
        default=False,
        db_default=False,
        help_text="Done only when every CCG of the hub's footprint on the due date has met it.",
    )
    archived = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(starts_on__lte=models.F("due_on")),
                name="milestone_starts_before_due",
            ),
            models.CheckConstraint(
                condition=Q(for_hub_staff=True)
                | Q(for_national_admins=True)
                | Q(for_ccg_leads=True)
                | Q(for_regional_teams=True),
                name="milestone_concerns_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year_label})"

    def get_absolute_url(self) -> str:
        return reverse("timeline:calendar", kwargs={"year": self.year}) + f"#milestone-{self.pk}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def never_overdue(self) -> bool:
        """Done by national admins for everyone: it concerns hubs, but none is overdue for it
        (seed 000 §4.1.1, the guidance published)."""
        return self.satisfied_by == Satisfier.NATIONAL_DONE

    @property
    def audience_label(self) -> str:
        names = [
            label
            for flag, label in (
                (self.for_national_admins, "national admins"),
                (self.for_hub_staff, "hub staff"),
                (self.for_ccg_leads, "CCG leads"),
                (self.for_regional_teams, "regional teams"),
            )
            if flag
        ]
        return and_list(names)


class MilestoneCompletion(models.Model):
    """A hub marks a milestone done that no record satisfies (say, its September input); or,
    with no hub, national admins mark done a milestone that is theirs (the guidance)."""

    milestone = models.ForeignKey(
        CalendarMilestone, on_delete=models.PROTECT, related_name="completions"
    )
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    completed_at = models.DateTimeField(auto_now_add=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["milestone", "hub"], name="milestone_completed_once"),
            models.UniqueConstraint(
                fields=["milestone"],
                condition=Q(hub__isnull=True),
                name="milestone_completed_once_nationally",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} done by {self.hub.name if self.hub else 'national admins'}"


class EngagementMeeting(models.Model):
    """A meeting or workshop a hub holds with its CCGs, recorded by hub staff. It may come
    before the hub's oversight group exists (seed 000 §4.1.1: the March 2015 workshops), so it
    belongs to the hub, not to a group."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("Held on")
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True, max_length=LONG_TEXT)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "-held_on", "-pk"]
        indexes = [models.Index(fields=["hub", "held_on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.hub.name}, {nhs_date(self.held_on)})"


class ReminderRule(models.Model):
    """When reminders go, in working days (England's bank holidays excluded)."""

    class Kind(models.TextChoices):
        BEFORE = "before", "Before the due date"
        ON_DAY = "on_day", "On the due date"
        OVERDUE = "overdue", "Repeatedly while overdue"
        ESCALATION = "escalation", "Escalation to the regional team when overdue"
        # Issue 17: a notice of something that happened (a new comment on a followed idea),
        # delivered when it happens, never by the sweep; switched off by making it inactive.
        NOTICE = "notice", "When it happens (a new comment on something followed)"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    working_days = models.PositiveSmallIntegerField(
        help_text="Before: how many working days before. Overdue: every how many working days. "
        "Escalation: after how many working days overdue. Ignored on the day.",
        validators=[MaxValueValidator(60)],
    )
    essential = models.BooleanField(
        default=False, help_text="Always sent, even to people who mute reminders."
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-working_days"]

    def __str__(self) -> str:
        return self.name


class ReminderClaim(models.Model):
    """One reminder to one person: claimed (inserted) before anything is sent. The unique key
    is what makes a reminder go exactly once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be emailed"
        SENDING = "sending", "Being emailed"
        SENT = "sent", "Emailed"
        DIGEST = "digest", "Waiting for the daily digest"
        IN_APP = "in_app", "In the inbox only"
        FAILED = "failed", "Failed"

    rule = models.ForeignKey(ReminderRule, on_delete=models.PROTECT, related_name="claims")
    item_key = models.CharField(
        max_length=60, help_text="What it is about: milestone:<id>:hub:<id>, action:<id>…"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminder_claims"
    )
    occurrence = models.DateField(help_text="The working day this reminder belongs to.")
    due_on = models.DateField()
    subject = models.CharField(max_length=250)
    link = models.CharField(max_length=300)
    essential = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    sweep = models.CharField(max_length=32, help_text="The sweep that claimed it.")
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "item_key", "recipient", "occurrence"], name="reminder_once"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["sweep"]),
            models.Index(fields=["item_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient} ({self.occurrence})"

    @property
    def may_resend(self) -> bool:
        """An admin may send it again once it was emailed or finally failed."""
        return self.status in (self.Status.SENT, self.Status.FAILED)


class Notification(models.Model):
    """An entry in a person's in-app inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    claim = models.OneToOneField(
        ReminderClaim, null=True, blank=True, on_delete=models.PROTECT, related_name="notification"
    )
    title = models.CharField(max_length=250)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300)
    essential = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("timeline:notification-open", kwargs={"pk": self.pk})


class NotificationPreference(models.Model):
    class Email(models.TextChoices):
        IMMEDIATE = "immediate", "As they happen"
        DIGEST = "digest", "One daily digest"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notification_preference"
    )
    email = models.CharField(max_length=9, choices=Email.choices, default=Email.IMMEDIATE)
    mute_non_essential = models.BooleanField(
        "Mute reminders that are not essential",
        default=False,
        help_text="Deadlines on the day and escalations are always sent.",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Preferences of {self.user}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private iCalendar address. A new one replaces (revokes) the old."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar of {self.user}"
