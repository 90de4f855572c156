"""The formal arrangements register (issue 16, "What to build" 3; seed 003, "Place Based
Commissioning Options"): each pooled budget, joint appointment or internal delegation between
NHS England and the commissioners (CCGs, from 1 July 2022 ICBs) of an integrated care system.

NHS England is a party to every arrangement ("regardless of the collaborative arrangements in
place, NHS England retains formal responsibility"), so it is implicit: `parties` holds only the
commissioners, and a contribution or host with no commissioner is NHS England's. Nothing here
is deleted: an arrangement ends with a date, a contribution is corrected, an agreement is
superseded by a newer version.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning.limits import LONG_TEXT
from hubs.models import CCG, IntegratedCareSystem, ProgrammeOfCare
from oversight.models import OversightGroup

NHS_ENGLAND = "NHS England"


class Arrangement(models.Model):
    class Kind(models.TextChoices):
        POOLED_BUDGET = "pooled_budget", "Pooled budget"
        JOINT_APPOINTMENT = "joint_appointment", "Joint appointment"
        INTERNAL_DELEGATION = "internal_delegation", "Internal delegation"

    class LegalBasis(models.TextChoices):
        S13V = "s13v", "Section 13V pooled budget (NHS Act 2006)"
        DELEGATION = "delegation", "Delegation instrument"
        JOINT_APPOINTMENT = "joint_appointment", "Joint appointment agreement"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        LIVE = "live", "Live"
        UNDER_REVIEW = "under_review", "Under review"
        ENDED = "ended", "Ended"

    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="arrangements"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parties = models.ManyToManyField(CCG, related_name="formal_arrangements")
    legal_basis = models.CharField(max_length=20, choices=LegalBasis.choices)
    legal_basis_other = models.CharField("Other legal basis", max_length=200, blank=True)
    programmes = models.ManyToManyField(
        ProgrammeOfCare, related_name="formal_arrangements", verbose_name="Programmes of Care"
    )
    services = models.TextField("Services in scope", blank=True, max_length=LONG_TEXT)
    # The host: one of the parties, or NHS England when empty.
    host = models.ForeignKey(CCG, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    board = models.ForeignKey(
        OversightGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="formal_arrangements",
        help_text="The strategy board that oversees it.",
    )
    # Seed 003: the cardiology exemplar explores "opportunities and benefits for more formal
    # place based arrangements": the exemplar project an arrangement came from, if any.
    exemplar = models.ForeignKey(
        "exemplars.Exemplar",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="arrangements",
        help_text="The exemplar project it came from.",
    )
    officer_name = models.CharField("Accountable officer", max_length=200, blank=True)
    officer_title = models.CharField("Accountable officer's job title", max_length=200, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.PROPOSED)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["system__name", "-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="arrangement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(review_date__isnull=True) | Q(review_date__gte=F("start_date")),
                name="arrangement_review_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="pooled_budget") | Q(legal_basis="s13v"),
                name="arrangement_pool_under_s13v",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | Q(end_date__isnull=False),
                name="arrangement_ended_has_end_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("arrangements:detail", kwargs={"pk": self.pk})

    @property
    def host_name(self) -> str:
        return self.host.name if self.host_id and self.host else NHS_ENGLAND

    @property
    def legal_basis_label(self) -> str:
        if self.legal_basis == self.LegalBasis.OTHER and self.legal_basis_other:
            return f"Other: {self.legal_basis_other}"
        return self.get_legal_basis_display()

    @property
    def first_year(self) -> int:
        """The financial year (1 April to 31 March) the arrangement starts in: 2019 is 2019/20."""
        day = self.start_date
        return day.year if day.month >= 4 else day.year - 1

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.PROPOSED

    @property
    def is_ended(self) -> bool:
        return self.status == self.Status.ENDED


def year_label(year: int) -> str:
    """2019 → "2019/20"."""
    return f"{year}/{(year + 1) % 100:02d}"


class Contribution(models.Model):
    """One party's contribution to an arrangement in one financial year, in pounds."""

    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.PROTECT, related_name="contributions"
    )
    # The commissioner contributing, or NHS England when empty.
    party = models.ForeignKey(
        CCG, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("Financial year", help_text="2019 means 2019/20.")
    amount = models.DecimalField("Amount (£)", max_digits=12, decimal_places=0)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "party__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "party", "year"], name="contribution_once_per_party_year"
            ),
            models.UniqueConstraint(
                fields=["arrangement", "year"],
                condition=Q(party__isnull=True),
                name="contribution_once_per_nhse_year",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="contribution_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.party_name}, {year_label(self.year)}: £{self.amount:,}"

    @property
    def party_name(self) -> str:
        return self.party.name if self.party_id and self.party else NHS_ENGLAND

    @property
    def year_label(self) -> str:
        return year_label(self.year)


def _agreement_upload_to(agreement: "Agreement", filename: str) -> str:
    return f"arrangements/{agreement.arrangement_id}/{filename}"


class Agreement(models.Model):
    """A version of the signed agreement (PDF or DOCX, judged by content). Each upload is a new
    version; earlier ones are kept, and served only to those who may read the arrangement."""

    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.PROTECT, related_name="agreements"
    )
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=_agreement_upload_to)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    note = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["arrangement", "number"], name="agreement_version_once")
        ]

    def __str__(self) -> str:
        return f"Signed agreement, version {self.number}"
