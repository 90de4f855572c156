"""Peer reviews: twice a year the regional team has reviewers from other hubs look at a hub's
priorities plan and governance arrangements, reports to the hub, and tracks what it recommended.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from commissioning.limits import LONG_TEXT
from hubs.models import Hub, ProgrammeOfCare
from priorities.models import PlanVersion, financial_year_label


class Rating(models.TextChoices):
    """The review scale, for each line of enquiry and for the report as a whole."""

    ASSURED = "assured", "Assured"
    PARTIALLY_ASSURED = "partially_assured", "Partially assured"
    NOT_ASSURED = "not_assured", "Not assured"


class ReviewCycle(models.Model):
    """One of the year's two rounds of peer review, with its window and lines of enquiry."""

    class Kind(models.TextChoices):
        FIRST = "first", "First review: assurance of plan and governance"
        SECOND = "second", "Second review: improvement, functioning and learning"

    year = models.PositiveSmallIntegerField(
        "Financial year starting", validators=[MinValueValidator(2013), MaxValueValidator(2100)]
    )
    kind = models.CharField(max_length=6, choices=Kind.choices)
    opens_on = models.DateField("Window opens")
    closes_on = models.DateField("Window closes")
    purpose = models.TextField(blank=True, max_length=LONG_TEXT)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="review_cycle_once_per_year"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="review_cycle_window_order"
            ),
        ]

    def __str__(self) -> str:
        which = "First" if self.kind == self.Kind.FIRST else "Second"
        return f"{which} peer review {self.year_label}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:cycle-detail", kwargs={"pk": self.pk})

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)


class LineOfEnquiry(models.Model):
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="lines")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    prompt = models.TextField("What reviewers look for", blank=True, max_length=LONG_TEXT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "title"], name="line_of_enquiry_once")
        ]

    def __str__(self) -> str:
        return self.title


class PeerReview(models.Model):
    """A hub's review in a cycle, from readiness to the regional team's sign-off."""

    class Status(models.TextChoices):
        READY = "ready", "Ready for review"
        INVITED = "invited", "Review invited: panel forming"
        IN_REVIEW = "in_review", "In review"
        REPORT_ISSUED = "report_issued", "Report issued"
        RESPONDED = "responded", "Hub has responded"
        SIGNED_OFF = "signed_off", "Response signed off"

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="reviews")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="peer_reviews")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.READY)
    readiness_note = models.TextField(
        "Note on checks not yet met",
        blank=True,
        help_text="Shown to the regional team.",
        max_length=LONG_TEXT,
    )
    readiness = models.JSONField("Checklist when readiness was declared", default=dict)
    declared_at = models.DateTimeField(null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_version = models.ForeignKey(
        PlanVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="peer_reviews",
        help_text="The frozen plan the panel reviews.",
    )
    governance = models.JSONField(
        "Governance record as it was at submission", default=dict, blank=True
    )
    started_at = models.DateTimeField(null=True, blank=True)
    # The lead's consolidation, drafted until the report is issued.
    overall_rating = models.CharField(max_length=17, choices=Rating.choices, blank=True)
    summary = models.TextField("Summary of the review", blank=True, max_length=LONG_TEXT)
    correcting = models.BooleanField(
        "A correction of the issued report is in progress",
        default=False,
        help_text="Findings and recommendations change after issue only while this is set.",
    )
    # The hub's response and the region's sign-off.
    response_summary = models.TextField("The hub's response", blank=True, max_length=LONG_TEXT)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signoff_note = models.TextField("Sign-off note", blank=True, max_length=LONG_TEXT)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "hub__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "hub"], name="peer_review_once_per_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} of {self.hub.name}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review-detail", kwargs={"pk": self.pk})

    # The workflow's questions, asked by pages and services alike.

    @property
    def may_invite(self) -> bool:
        """The hub declared readiness: the regional team may invite the review."""
        return self.status == self.Status.READY

    @property
    def panel_open(self) -> bool:
        """The panel may still change (invited, or in review)."""
        return self.status in (self.Status.INVITED, self.Status.IN_REVIEW)

    @property
    def may_start(self) -> bool:
        """Invited and waiting for its panel: the regional team may start it."""
        return self.status == self.Status.INVITED

    @property
    def open_for_ratings(self) -> bool:
        return self.status == self.Status.IN_REVIEW

    @property
    def report_open(self) -> bool:
        """The lead may still write (or correct) the report."""
        return self.status in (
            self.Status.IN_REVIEW,
            self.Status.REPORT_ISSUED,
            self.Status.RESPONDED,
        )

    @property
    def text_open(self) -> bool:
        """Findings and recommendations may change: before issue, or during a correction."""
        return self.status == self.Status.IN_REVIEW or (self.report_open and self.correcting)

    @property
    def awaiting_response(self) -> bool:
        return self.status == self.Status.REPORT_ISSUED

    @property
    def awaiting_sign_off(self) -> bool:
        return self.status == self.Status.RESPONDED

    @property
    def is_signed_off(self) -> bool:
        return self.status == self.Status.SIGNED_OFF

    @property
    def response_stage(self) -> str:
        """Where the hub's response stands, as the status board says it ("" before a report)."""
        stages: dict[str, str] = {
            self.Status.SIGNED_OFF: "Signed off",
            self.Status.RESPONDED: "Awaiting sign-off",
            self.Status.REPORT_ISSUED: "Awaiting the hub",
        }
        return stages.get(self.status, "")

    @property
    def report_issued(self) -> bool:
        return self.status in (
            self.Status.REPORT_ISSUED,
            self.Status.RESPONDED,
            self.Status.SIGNED_OFF,
        )


class ReviewerConflict(models.Model):
    """A person's declared conflict with a hub: they are never offered for its reviews."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-declared_at"]

    def __str__(self) -> str:
        return f"{self.user} conflicted with {self.hub.name}"


class Reviewer(models.Model):
    """A place on a review's panel. Declined, conflicted and replaced places stay as history."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead reviewer"
        REVIEWER = "reviewer", "Reviewer"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        CONFLICTED = "conflicted", "Withdrew: conflict of interest"
        REPLACED = "replaced", "Replaced"

    ACTIVE = (Status.INVITED, Status.ACCEPTED)

    review = models.ForeignKey(PeerReview, on_delete=models.PROTECT, related_name="panel")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.REVIEWER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    home = models.CharField("Comes from", max_length=200, blank=True)
    invited_at = models.DateTimeField(auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("Reason", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user"],
                condition=Q(status__in=["invited", "accepted"]),
                name="reviewer_active_once_per_review",
            ),
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(role="lead", status__in=["invited", "accepted"]),
                name="one_active_lead_per_review",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) on {self.review}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_invited(self) -> bool:
        """Invited and not yet answered."""
        return self.status == self.Status.INVITED

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_replaced(self) -> bool:
        return self.status == self.Status.REPLACED

    @property
    def shows_note(self) -> bool:
        """The place's note is shown beside it, except the reason for a declared conflict."""
        return bool(self.note) and self.status != self.Status.CONFLICTED

    @property
    def may_rate(self) -> bool:
        """An accepted reviewer rates the review while it is in review."""
        return self.is_accepted and self.review.open_for_ratings

    @property
    def is_lead(self) -> bool:
        return self.role == self.Role.LEAD


class Assessment(models.Model):
    """One reviewer's structured review: private to them until they submit it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    reviewer = models.OneToOneField(Reviewer, on_delete=models.PROTECT, related_name="assessment")
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Assessment by {self.reviewer.user}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class LineRating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="ratings")
    line = models.ForeignKey(LineOfEnquiry, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=17, choices=Rating.choices, blank=True)
    evidence = models.TextField(blank=True, max_length=LONG_TEXT)
    comments = models.TextField(blank=True, max_length=LONG_TEXT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["line__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "line"], name="line_rated_once"),
            models.CheckConstraint(
                condition=Q(rating__in=["", "assured", "partially_assured", "not_assured"]),
                name="line_rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line}: {self.get_rating_display()}"


class Theme(models.TextChoices):
    GOVERNANCE = "governance", "Governance and terms of reference"
    ENGAGEMENT = "engagement", "CCG engagement and representation"
    PRIORITISATION = "prioritisation", "Setting priorities"
    DELIVERY = "delivery", "Delivery and sub-groups"
    FINANCE = "finance", "Finance and QIPP"
    EQUITY = "equity", "Inequalities and equity"
    PATIENTS = "patients", "Patient and public voice"
    CONFLICTS = "conflicts", "Managing conflicts of interest"


class Finding(models.Model):
    """A finding or a piece of good practice in the lead's report. Shareable ones feed the
    learning library once the report is issued."""

    class Kind(models.TextChoices):
        FINDING = "finding", "Finding"
        GOOD_PRACTICE = "good_practice", "Good practice to share"

    review = models.ForeignKey(PeerReview, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(max_length=13, choices=Kind.choices)
    title = models.CharField(max_length=200)
    detail = models.TextField(max_length=LONG_TEXT)
    theme = models.CharField(max_length=14, choices=Theme.choices)
    programme_of_care = models.ForeignKey(
        ProgrammeOfCare, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shareable = models.BooleanField("Share with all hubs", default=False)
    archived = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_good_practice(self) -> bool:
        return self.kind == self.Kind.GOOD_PRACTICE


class ReviewRecommendation(models.Model):
    """A recommendation to the hub, tracked to closure across the year."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    review = models.ForeignKey(PeerReview, on_delete=models.PROTECT, related_name="recommendations")
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True, max_length=LONG_TEXT)
    owner = models.CharField("Owner", max_length=150)
    due_date = models.DateField("Due by")
    status = models.CharField(max_length=11, choices=Status.choices, default=Status.OPEN)
    hub_action = models.TextField("The hub's action", blank=True, max_length=LONG_TEXT)
    closure_note = models.TextField(blank=True, max_length=LONG_TEXT)
    closed_at = models.DateTimeField(null=True, blank=True)
    archived = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(owner=""), name="review_recommendation_has_owner"),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(closure_note=""),
                name="review_recommendation_closed_with_note",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today) -> bool:
        return self.status != self.Status.CLOSED and self.due_date < today

    @property
    def is_overdue_today(self) -> bool:
        """`is_overdue` on today's date in England (what pages show)."""
        return self.is_overdue(timezone.localdate())


class ReviewReport(models.Model):
    """An issued report, frozen: corrections are a new issued version with a reason."""

    review = models.ForeignKey(PeerReview, on_delete=models.PROTECT, related_name="reports")
    number = models.PositiveSmallIntegerField()
    overall_rating = models.CharField(max_length=17, choices=Rating.choices)
    content = models.JSONField()
    reason = models.TextField("Reason for the correction", blank=True, max_length=LONG_TEXT)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="review_report_number_once"),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""), name="review_report_correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Report v{self.number} on {self.review}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("An issued report is never changed: issue a correction instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reviews:report-detail", kwargs={"pk": self.pk})
