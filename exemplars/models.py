"""Exemplar pathway projects of an integrated care system (issue 16, "What to build" 4).

Seed 003, "Cardiology pathway as an 'exemplar' project": the strategy board explores more
formal place-based arrangements "initially taking the cardiology pathway as a 'proof of
principle' approach", because "separate ring fenced budgets for specialised and
non-specialised services that form a single care pathway can impede the development of
effective pathways". Seed 003, "Next steps": the Joint CCG Committee confirms the approach,
CCG representatives take part in scoping at the Large Scale Change programme in Leeds, and a
scoping report comes back to the Joint CCG Committee early in the new year.

So a project has: the services on its pathway (specialised ones in a Programme of Care), its
participants (commissioner representatives from the system's CCGs/ICB), milestones, a scoping
report kept as numbered versions (never deleted), and recommendations to the Joint CCG
Committee and/or the Regional Leadership Group, each with the decision taken on it. Nothing is
deleted: a project is closed, a service removed from the pathway, a participant leaves.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from commissioning.limits import LONG_TEXT
from hubs.models import CCG, IntegratedCareSystem, ProgrammeOfCare
from oversight.models import OversightGroup


class Exemplar(models.Model):
    """A pathway project of an integrated care system (cardiology first), optionally overseen
    by the system's specialised commissioning strategy board."""

    class Status(models.TextChoices):
        # Product decision: the steps the seed's "Next steps" walk through.
        SCOPING = "scoping", "Scoping"
        SCOPED = "scoped", "Scoped"
        RECOMMENDED = "recommended", "Recommendation made"
        DECIDED = "decided", "Decided"
        CLOSED = "closed", "Closed"

    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="exemplars"
    )
    board = models.ForeignKey(
        OversightGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exemplars",
        verbose_name="strategy board",
    )
    title = models.CharField(max_length=200)
    pathway = models.CharField(max_length=100)
    scope = models.TextField(blank=True, max_length=LONG_TEXT)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCOPING)
    start_date = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.TextField(blank=True, max_length=LONG_TEXT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False) | ~Q(status="closed"),
                name="exemplar_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("start_date")),
                name="exemplar_closed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exemplars:detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class PathwayService(models.Model):
    """A service on the project's pathway: specialised (commissioned by NHS England, in a
    Programme of Care) or not (commissioned locally). Removed from the pathway, never deleted."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=200)
    specialised = models.BooleanField(default=False)
    programme = models.ForeignKey(
        ProgrammeOfCare,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="programme of care",
    )
    note = models.TextField(blank=True, max_length=LONG_TEXT)
    removed = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-specialised", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(specialised=False) | Q(programme__isnull=False),
                name="pathway_service_specialised_has_programme",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """A person taking part in the project: a commissioner's representative (from a CCG or ICB
    of the system on the day they join) or anyone else (a clinician, a provider's manager)."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.PROTECT, related_name="participants")
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    role = models.CharField("role on the project", max_length=200)
    commissioner = models.ForeignKey(
        CCG,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="CCG or ICB represented",
    )
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["joined_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="participant_left_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A step of the project with the date it is due and the date it was done."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=LONG_TEXT)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """Not done and past its due date (as of today: what a reader needs to chase)."""
        return self.done_on is None and self.due_on < timezone.localdate()


def _report_upload_to(version: "ReportVersion", filename: str) -> str:
    return f"exemplars/{version.exemplar_id}/{filename}"


class ReportVersion(models.Model):
    """One version of the project's scoping report: a file (PDF or Word), text, or both, with
    what changed since the last. Versions are numbered from 1 and never changed or deleted;
    files are served only to the project's readers."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.PROTECT, related_name="report_versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=_report_upload_to, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True, max_length=LONG_TEXT)
    change_summary = models.CharField(max_length=500)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["exemplar", "number"], name="report_version_numbered_once"
            ),
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(text=""), name="report_version_has_file_or_text"
            ),
        ]

    def __str__(self) -> str:
        return f"Scoping report version {self.number}"

    @property
    def extension(self) -> str:
        return "pdf" if self.content_type == "application/pdf" else "docx"


class Recommendation(models.Model):
    """The project's recommendation to the Joint CCG Committee and/or the Regional Leadership
    Group (RLG), and the decision taken on it (seed 003: "Decision making will sit within the
    ICS and for specialised commissioning within the Regional Leadership Group").

    Product decision: a project may make several recommendations over time (to the Joint CCG
    Committee first, later to the RLG; or again after a deferral), one awaiting a decision at
    a time. Each records one decision: agreed, not agreed or deferred; a deferred one may be
    decided later, an agreed or not agreed one is final."""

    class To(models.TextChoices):
        JOINT_CCG_COMMITTEE = "joint_ccg_committee", "Joint CCG Committee"
        RLG = "rlg", "Regional Leadership Group (RLG)"
        BOTH = "both", "Joint CCG Committee and Regional Leadership Group"

    class Decision(models.TextChoices):
        AWAITING = "awaiting", "Awaiting decision"
        AGREED = "agreed", "Agreed"
        NOT_AGREED = "not_agreed", "Not agreed"
        DEFERRED = "deferred", "Deferred"

    exemplar = models.ForeignKey(Exemplar, on_delete=models.PROTECT, related_name="recommendations")
    to = models.CharField("made to", max_length=20, choices=To.choices)
    text = models.TextField("recommendation", max_length=LONG_TEXT)
    made_on = models.DateField()
    decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.AWAITING)
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=LONG_TEXT)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["made_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="awaiting", decided_on__isnull=True)
                | (~Q(decision="awaiting") & Q(decided_on__gte=models.F("made_on"))),
                name="exemplar_recommendation_decided_on_after_made",
            ),
        ]

    def __str__(self) -> str:
        return f"Recommendation to the {self.get_to_display()}"

    @property
    def is_open(self) -> bool:
        """Still to be decided: awaiting, or deferred to a later meeting."""
        return self.decision in (self.Decision.AWAITING, self.Decision.DEFERRED)
