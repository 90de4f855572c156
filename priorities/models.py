"""Priorities plans: one per oversight group per financial year, built from CCG proposals."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from commissioning.dates import (
    financial_year_label,
    nhs_date,
)
from commissioning.limits import LONG_TEXT
from commissioning.links import url_for_id
from hubs.models import CCG, ProgrammeOfCare
from oversight.models import OversightGroup, SubGroup

from .querysets import CriterionQuerySet


class PrioritiesPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for peer review"
        ASSURED = "assured", "Assured"
        PUBLISHED = "published", "Published"

    group = models.ForeignKey(OversightGroup, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(
        "Financial year starting", validators=[MinValueValidator(2013), MaxValueValidator(2100)]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    context = models.TextField(blank=True, max_length=LONG_TEXT)
    delivery_arrangements = models.TextField(blank=True, max_length=LONG_TEXT)
    finance = models.TextField("Finance (QIPP)", blank=True, max_length=LONG_TEXT)
    risks = models.TextField(blank=True, max_length=LONG_TEXT)
    # The region's assurance (issue 13 part 6): who assured the plan and when, and whether
    # without the first peer review report on its submitted version (an override, with its
    # reason). Cleared when the plan is reopened; the history keeps every assurance.
    assured_at = models.DateTimeField(null=True, blank=True)
    assured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assured_with_override = models.BooleanField(
        "Assured without the peer review report", default=False
    )
    assurance_override_reason = models.TextField(
        "Reason for assuring without the peer review report", blank=True, max_length=LONG_TEXT
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "group__hub__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="plan_once_per_group_year"),
            models.CheckConstraint(
                condition=Q(assured_with_override=False) | ~Q(assurance_override_reason=""),
                name="plan_assurance_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group.hub.name} priorities plan {self.year_label}"

    def get_absolute_url(self) -> str:
        return url_for_id("priorities:plan-detail", self.pk)

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def awaits_assurance(self) -> bool:
        """Submitted for peer review: the region's team may assure it."""
        return self.status == self.Status.SUBMITTED

    @property
    def may_be_published(self) -> bool:
        return self.status == self.Status.ASSURED

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


def _version_pdf_upload_to(version: "PlanVersion", filename: str) -> str:
    # One folder per version, so the file keeps the clean name it is downloaded under.
    return f"plans/versions/{version.pk}/{filename}"


class PlanVersion(models.Model):
    """A frozen copy of the plan as it was submitted or published: viewable exactly as it was."""

    plan = models.ForeignKey(PrioritiesPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=PrioritiesPlan.Status.choices)
    content = models.JSONField()
    frozen_at = models.DateTimeField(auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # A published version's PDF, made once by a Celery task and never replaced.
    pdf = models.FileField(upload_to=_version_pdf_upload_to, blank=True)
    pdf_started_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker claimed the render (cleared on failure)."
    )
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    pdf_error = models.TextField(blank=True)
    # Every render started counts, however it ended (an error, or its worker killed mid-way);
    # a person's retry starts the count again.
    pdf_attempts = models.PositiveSmallIntegerField(default=0)
    # The Celery task id of the run holding the render, so that the same message delivered again
    # after its worker was lost (killed mid-render) can take the render back at once.
    pdf_claim = models.CharField(
        max_length=64,
        blank=True,
        help_text="Task id of the run making the PDF; empty when none is.",
    )

    # Renders started before the PDF is given up on, until a person asks for it again.
    PDF_MAX_ATTEMPTS = 3

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_once"),
            models.CheckConstraint(
                condition=Q(pdf_claim="") | Q(pdf_started_at__isnull=False),
                name="plan_version_pdf_claim_only_while_started",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return url_for_id("priorities:plan-version", self.pk)

    @property
    def is_published(self) -> bool:
        """A published version has (or is owed) its stored PDF."""
        return self.status == PrioritiesPlan.Status.PUBLISHED

    @property
    def pdf_filename(self) -> str:
        return self.pdf.name.rsplit("/", 1)[-1] if self.pdf else ""

    @property
    def pdf_failed(self) -> bool:
        """No PDF and none being made: the last render failed (its error is recorded)."""
        return not self.pdf and bool(self.pdf_error) and self.pdf_started_at is None

    @property
    def pdf_given_up(self) -> bool:
        """Failed with no automatic attempt left: only a person's retry makes one now."""
        return self.pdf_failed and self.pdf_attempts >= self.PDF_MAX_ATTEMPTS


class Proposal(models.Model):
    """A priority proposed for the plan by a CCG lead (or hub staff)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        INFO_REQUESTED = "info_requested", "More information requested"
        INCLUDED = "included", "Included in the plan"
        DEFERRED = "deferred", "Deferred"
        NOT_INCLUDED = "not_included", "Not included"

    DECISIONS = (Status.INCLUDED, Status.DEFERRED, Status.NOT_INCLUDED)
    EDITABLE = (Status.DRAFT, Status.INFO_REQUESTED)

    plan = models.ForeignKey(PrioritiesPlan, on_delete=models.PROTECT, related_name="proposals")
    ccg = models.ForeignKey(
        CCG,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        help_text="The proposing CCG; empty when hub staff propose.",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    programme_of_care = models.ForeignKey(
        ProgrammeOfCare, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service = models.CharField("Service or CRG", max_length=200, blank=True)
    # Issue 17: the CRG chosen from those national admins keep; `service` stays as free text
    # (older proposals name their CRG there).
    crg = models.ForeignKey(
        "national.ClinicalReferenceGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name="Clinical Reference Group",
    )
    problem = models.TextField("Problem and evidence", max_length=LONG_TEXT)
    issues = models.TextField("Access, quality and equity issues", blank=True, max_length=LONG_TEXT)
    population = models.TextField("Population affected", blank=True, max_length=LONG_TEXT)
    ccgs_affected = models.ManyToManyField(CCG, blank=True, related_name="+")
    benefits = models.TextField("Expected benefits", blank=True, max_length=LONG_TEXT)
    qipp_savings = models.DecimalField(
        "Estimated QIPP savings (£)", max_digits=12, decimal_places=0, default=0
    )
    costs = models.DecimalField("Estimated costs (£)", max_digits=12, decimal_places=0, default=0)
    risks = models.TextField(blank=True, max_length=LONG_TEXT)
    suggested_subgroup = models.ForeignKey(
        SubGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.DRAFT)
    rationale = models.TextField("The group's rationale", blank=True, max_length=LONG_TEXT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[ccgs_affected])

    class Meta:
        ordering = ["plan", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(qipp_savings__gte=0) & Q(costs__gte=0),
                name="proposal_money_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["included", "deferred", "not_included"])
                | ~Q(rationale=""),
                name="proposal_decision_has_rationale",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for_id("priorities:proposal-detail", self.pk)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def awaits_decision(self) -> bool:
        """Submitted: assessors score it, hub staff ask for more information or decide."""
        return self.status == self.Status.SUBMITTED

    @property
    def is_decidable(self) -> bool:
        """Submitted or already decided: the group records (or changes) its decision."""
        return self.status == self.Status.SUBMITTED or self.status in self.DECISIONS


class ProposalComment(models.Model):
    """A message between the proposer and hub staff about a proposal. Never edited."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=LONG_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} on {self.proposal}"


class Criterion(models.Model):
    """A criterion the group assesses proposals against, with its weight. Added, renamed,
    reweighted or archived per plan until scoring starts; never deleted."""

    plan = models.ForeignKey(PrioritiesPlan, on_delete=models.PROTECT, related_name="criteria")
    name = models.CharField(max_length=120)
    weight = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    order = models.PositiveSmallIntegerField()
    archived = models.BooleanField(
        default=False, help_text="Taken out of the assessment before scoring; kept on record."
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "plan",
                condition=Q(archived=False),
                name="criterion_once_per_plan",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=10), name="criterion_weight_1_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (weight {self.weight})"


class Assessor(models.Model):
    """A person the hub asks to score the plan's proposals."""

    plan = models.ForeignKey(PrioritiesPlan, on_delete=models.PROTECT, related_name="assessors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "user"], name="assessor_once_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.user} assesses {self.plan}"


class Score(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "criterion", "assessor"], name="score_once_per_assessor"
            ),
            models.CheckConstraint(condition=Q(value__lte=5), name="score_0_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} scored {self.proposal} {self.value} on {self.criterion.name}"


class Delivery(models.Model):
    """How an included priority is delivered: lead, sub-group, KPIs and its QIPP target."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="delivery")
    lead = models.CharField(max_length=150, blank=True)
    subgroup = models.ForeignKey(
        SubGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kpis = models.TextField("KPIs", blank=True, max_length=LONG_TEXT)
    qipp_target = models.DecimalField("QIPP target (£)", max_digits=12, decimal_places=0, default=0)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(qipp_target__gte=0), name="delivery_target_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"Delivery of {self.proposal}"


class Milestone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        MISSED = "missed", "Missed"

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today) -> bool:
        return self.counts_as_overdue(self.status, self.due_date, today)

    @classmethod
    def counts_as_overdue(cls, status: str, due_date, today) -> bool:
        """`is_overdue` for a milestone read as values (the dashboard counts hundreds)."""
        return status in (cls.Status.PLANNED, cls.Status.IN_PROGRESS) and due_date < today


class DeliveryUpdate(models.Model):
    """A progress report on a priority: RAG status, commentary and QIPP realised to date."""

    class Rag(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="updates")
    rag = models.CharField("RAG status", max_length=5, choices=Rag.choices)
    commentary = models.TextField(max_length=LONG_TEXT)
    qipp_realised = models.DecimalField(
        "QIPP realised to date (£)", max_digits=12, decimal_places=0, default=0
    )
    reported_on = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(qipp_realised__gte=0), name="update_realised_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_rag_display()} on {nhs_date(self.reported_on)}"

    @property
    def tag_colour(self) -> str:
        """The design system's tag colour for the RAG status."""
        return {self.Rag.GREEN: "green", self.Rag.AMBER: "orange"}.get(self.rag, "red")


class OverlapDecision(models.Model):
    """The agreed way forward where a hub's included priority overlaps a national service
    review of its year (issue 17, "What to build" 4; seed 000 §3.6: local priorities "together
    with the national review of priorities, will be jointly assessed ... to agree a collective
    programme of work"). National admins record it, with its rationale; changed with its
    version, never deleted (the history keeps every earlier way forward)."""

    class WayForward(models.TextChoices):
        PROCEEDS = "proceeds", "The local priority proceeds"
        FOLDED = "folded", "The local priority is folded into the national review"
        WAITS = "waits", "The local priority waits for the national review"

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="overlap_decisions"
    )
    review = models.ForeignKey(
        "national.ServiceReview",
        on_delete=models.PROTECT,
        related_name="overlap_decisions",
        verbose_name="National service review",
    )
    way_forward = models.CharField("Agreed way forward", max_length=10, choices=WayForward.choices)
    rationale = models.TextField(max_length=LONG_TEXT)
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "review"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "review"], name="overlap_decision_once_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(rationale=""), name="overlap_decision_has_rationale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} and {self.review}: {self.get_way_forward_display().lower()}"

    @property
    def tag_colour(self) -> str:
        """The design system's tag colour for the way forward."""
        return {self.WayForward.PROCEEDS: "green", self.WayForward.FOLDED: "blue"}.get(
            self.way_forward, "orange"
        )
