"""National structures (issue 17, "What to build" 1 and 2; seed 000 §3.5, "Clinical Reference
Groups (CRGs) and national Programmes of Care (PoCs)").

- Each Programme of Care has a board "with a tripartite leadership structure with the Regional
  Commissioner for Specialised Services as chair, a clinical vice chair and CCG vice chair":
  `BoardHolding` is one person in one of those three seats from a date (history kept).
- A Clinical Reference Group belongs to one PoC, owns service specifications and policies
  (`CRGDocument` with uploaded `CRGDocumentVersion`s) and aims "to recruit four CCG
  representatives, one from each region": four `CRGSeat`s, one per region, each filled for a
  term (`SeatTerm`) by a clinician nominated through an oversight group (`Nomination`, made at
  a held meeting of the group, seed 000 §3.4: "Enabling greater CCG clinical input into
  specialised service national policy development") and accepted by the national team.
- `ServiceReview`: a national service review of a financial year (issue 17, "What to build"
  4; seed 000 §3.6), assessed with the hubs' included priorities in the joint programme of
  work (priorities.programme).
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning.dates import financial_year_label, nhs_date
from commissioning.limits import LONG_TEXT
from hubs.models import CCG, ProgrammeOfCare, Region
from meetings.models import Meeting

SEATS_PER_CRG = 4


class LeadershipSeat(models.TextChoices):
    CHAIR = "chair", "Chair (Regional Commissioner for Specialised Services)"
    CLINICAL_VICE_CHAIR = "clinical_vice_chair", "Clinical vice chair"
    CCG_VICE_CHAIR = "ccg_vice_chair", "CCG vice chair"


def _dates(name: str, start: str = "start_date", end: str = "end_date") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
    )


class BoardHolding(models.Model):
    """One person in one leadership seat of a Programme of Care board, from a date to an
    optional date. One holder per seat at a time (services refuse an overlap)."""

    programme = models.ForeignKey(
        ProgrammeOfCare, on_delete=models.PROTECT, related_name="board_holdings"
    )
    seat = models.CharField(max_length=20, choices=LeadershipSeat.choices)
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    start_date = models.DateField("From")
    end_date = models.DateField("Until", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme__name", "seat", "-start_date"]
        constraints = [_dates("national_board_holding_dates")]

    def __str__(self) -> str:
        return f"{self.name}, {self.get_seat_display()} of the {self.programme} board"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class ClinicalReferenceGroup(models.Model):
    """A CRG: national admins add them (the product ships no list of its own)."""

    name = models.CharField(max_length=200, unique=True)
    programme = models.ForeignKey(
        ProgrammeOfCare,
        on_delete=models.PROTECT,
        related_name="crgs",
        verbose_name="Programme of Care",
    )
    chair = models.CharField(max_length=200, blank=True)
    archived = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "Clinical Reference Group"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("national:crg-detail", kwargs={"pk": self.pk})


class CRGDocument(models.Model):
    """A service specification or policy the CRG owns: a title, a link and/or uploaded
    versions."""

    class Kind(models.TextChoices):
        SPECIFICATION = "specification", "Service specification"
        POLICY = "policy", "Policy"

    crg = models.ForeignKey(
        ClinicalReferenceGroup, on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField("Link", blank=True, max_length=500)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


def _document_upload_to(version: "CRGDocumentVersion", filename: str) -> str:
    return f"national/{version.document.crg_id}/{filename}"


class CRGDocumentVersion(models.Model):
    """An uploaded version of a CRG document (PDF or DOCX, judged by its content)."""

    document = models.ForeignKey(CRGDocument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=_document_upload_to)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="national_document_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class CRGSeat(models.Model):
    """One of a CRG's four local commissioner seats: one per NHS England region."""

    crg = models.ForeignKey(ClinicalReferenceGroup, on_delete=models.PROTECT, related_name="seats")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="crg_seats")
    history = HistoricalRecords()

    class Meta:
        ordering = ["crg__name", "region__name"]
        constraints = [
            models.UniqueConstraint(fields=["crg", "region"], name="national_one_seat_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.crg}: {self.region} seat"


class Nomination(models.Model):
    """An oversight group's nomination of a CCG (later ICB) clinician to a CRG seat, made at
    one of the group's held meetings; the national team accepts or declines it."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Awaiting decision"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    seat = models.ForeignKey(CRGSeat, on_delete=models.PROTECT, related_name="nominations")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="crg_nominations")
    nominee_name = models.CharField(max_length=200)
    ccg = models.ForeignKey(
        CCG, on_delete=models.PROTECT, related_name="crg_nominations", verbose_name="CCG or ICB"
    )
    email = models.EmailField()
    job_title = models.CharField(max_length=200)
    term_start = models.DateField()
    term_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAITING)
    decline_reason = models.TextField(blank=True, max_length=2000)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")),
                name="national_nomination_term_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nominee_name} for {self.seat}"

    @property
    def is_awaiting(self) -> bool:
        return self.status == self.Status.AWAITING

    @property
    def term_label(self) -> str:
        return f"{nhs_date(self.term_start)} to {nhs_date(self.term_end)}"


class SeatTerm(models.Model):
    """A clinician's term in a CRG seat, from an accepted nomination. One term per seat at a
    time (services refuse an overlap)."""

    seat = models.ForeignKey(CRGSeat, on_delete=models.PROTECT, related_name="terms")
    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, related_name="term", null=True, blank=True
    )
    holder_name = models.CharField(max_length=200)
    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["seat", "-start_date"]
        constraints = [_dates("national_seat_term_dates")]

    def __str__(self) -> str:
        return f"{self.holder_name}, {self.seat}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date

    @property
    def term_label(self) -> str:
        return f"{nhs_date(self.start_date)} to {nhs_date(self.end_date)}"


class ServiceReview(models.Model):
    """A national service review of one financial year (issue 17, "What to build" 4; seed 000
    §3.6: "a number of service reviews undertaken across England at a national level from April
    2015 onwards", chosen by subsidiarity). National admins record them; a review is archived,
    never deleted. Its Programme of Care and optional CRG are what a hub's included priority is
    matched on for the joint programme of work (priorities.programme)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        STOPPED = "stopped", "Stopped"

    year = models.PositiveSmallIntegerField(
        "Financial year starting",
        validators=[MinValueValidator(2013), MaxValueValidator(2100)],
    )
    title = models.CharField("Service reviewed", max_length=200)
    programme = models.ForeignKey(
        ProgrammeOfCare,
        on_delete=models.PROTECT,
        related_name="service_reviews",
        verbose_name="Programme of Care",
    )
    crg = models.ForeignKey(
        ClinicalReferenceGroup,
        on_delete=models.PROTECT,
        related_name="service_reviews",
        null=True,
        blank=True,
        verbose_name="Clinical Reference Group",
    )
    scope = models.TextField(max_length=LONG_TEXT)
    lead = models.CharField("Review lead", max_length=200)
    start_date = models.DateField("Starts")
    end_date = models.DateField("Ends", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "programme__name", "title"]
        constraints = [_dates("national_service_review_dates")]

    def __str__(self) -> str:
        return f"{self.title} (national review {self.year_label})"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def timing_label(self) -> str:
        if self.end_date is None:
            return f"from {nhs_date(self.start_date)}"
        return f"{nhs_date(self.start_date)} to {nhs_date(self.end_date)}"

    @property
    def status_colour(self) -> str:
        """The design system's tag colour for the status."""
        return {
            self.Status.PLANNED: "blue",
            self.Status.IN_PROGRESS: "yellow",
            self.Status.COMPLETE: "green",
        }.get(self.status, "grey")


# Consultations (issue 17, "What to build" 3) live in their own module; imported here so that
# Django finds them with the app's other models.
from .consultation_models import Consultation, ConsultationResponse  # noqa: E402, F401
