"""Oversight group meetings: agenda, attendance and quorum, declarations, decisions, actions,
and the recommendations the group makes to its NHS England regional team.

A committee's meetings (issue 15: the Commissioning Committee, primary care joint committees)
are the same meetings, held by a committee instead of a group: agenda, papers, attendance and
quorum, declarations, minutes and decisions. Actions and recommendations are the groups'."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from commissioning.dates import nhs_date
from commissioning.limits import LONG_TEXT
from oversight.models import Committee, GroupMember, OversightGroup


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    group = models.ForeignKey(
        OversightGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField("Date and time")
    location = models.CharField(max_length=200, blank=True)
    online = models.BooleanField("Online", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(blank=True, max_length=LONG_TEXT)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["group", "starts_at"]),
            models.Index(fields=["committee", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(group__isnull=False, committee__isnull=True)
                | Q(group__isnull=True, committee__isnull=False),
                name="meeting_of_group_or_committee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, {nhs_date(self.starts_at)}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting-detail", kwargs={"pk": self.pk})

    @property
    def body(self) -> OversightGroup | Committee:
        """The group or committee that holds the meeting."""
        return self.group or self.committee  # type: ignore[return-value]

    @property
    def is_committee(self) -> bool:
        return self.committee_id is not None

    @property
    def is_held(self) -> bool:
        """Held: the group may make recommendations from it."""
        return self.status == self.Status.HELD


class AgendaItem(models.Model):
    class Purpose(models.TextChoices):
        DECISION = "decision", "For decision"
        DISCUSSION = "discussion", "For discussion"
        INFORMATION = "information", "For information"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    summary = models.TextField("Summary and papers", blank=True, max_length=LONG_TEXT)
    concerns = models.CharField(
        "Organisations concerned",
        max_length=300,
        blank=True,
        help_text="Providers or other organisations the item is about, separated by commas.",
    )
    decision = models.TextField("Decision or outcome", blank=True, max_length=LONG_TEXT)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(GroupMember, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=10, choices=Status.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member.full_name}: {self.get_status_display()}"


class Declaration(models.Model):
    """A member's declared interest in an agenda item, and how it was managed."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="declarations")
    member = models.ForeignKey(GroupMember, on_delete=models.PROTECT, related_name="+")
    interest = models.CharField(max_length=300)
    managed_by = models.CharField("How it was managed", max_length=300)
    # Took no part in the item's decision (issue 15: a decision records who was excluded).
    excluded = models.BooleanField("Took no part in the decision", default=False)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.member.full_name} on item {self.item.number}: {self.interest}"


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    description = models.CharField(max_length=300)
    owner = models.CharField(max_length=150)
    due_date = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()


class Recommendation(models.Model):
    """The group recommends; the NHS England regional team decides and records its response."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Awaiting the region's response"
        ACCEPTED = "accepted", "Accepted"
        ACCEPTED_WITH_CHANGES = "accepted_with_changes", "Accepted with changes"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="recommendations")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    detail = models.TextField(max_length=LONG_TEXT)
    made_on = models.DateField()
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.AWAITING)
    rationale = models.TextField("The region's rationale", blank=True, max_length=LONG_TEXT)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="awaiting") | (Q(responded_at__isnull=False) & ~Q(rationale="")),
                name="recommendation_response_has_rationale",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:recommendation-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.AWAITING

    @property
    def age_days(self) -> int:
        return (timezone.localdate() - self.made_on).days


def _paper_upload_to(paper: "Paper", filename: str) -> str:
    return f"papers/{paper.item.meeting_id}/{filename}"


class Paper(models.Model):
    """A paper attached to an agenda item (PDF or Word), served only to the group's readers."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_paper_upload_to)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    withdrawn = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title
