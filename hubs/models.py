"""The organisation register: regions, hubs, CCGs (with their changes over time), PoCs."""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning.dates import nhs_date
from commissioning.limits import LONG_TEXT

from .querysets import CCGQuerySet, ValidityQuerySet

# Clinical Commissioning Groups were established on 1 April 2013 and abolished at the end of
# 30 June 2022; from 1 July 2022 their functions passed to Integrated Care Boards (Health and Care
# Act 2022). Which of the two is "the local commissioner" depends on the date in question.
CCG_ESTABLISHED = datetime.date(2013, 4, 1)
ICB_ESTABLISHED = datetime.date(2022, 7, 1)


def financial_year_day(year: int, today: datetime.date) -> datetime.date:
    """The day whose register a plan or review cycle of financial year `year` (1 April to
    31 March) is judged on: today while the year runs, its last day once it has ended, its first
    day before it starts. Every change in the register took effect on 1 April or 1 July, so a
    past year's last day shows the organisations of that year's plan."""
    first, last = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    return min(max(today, first), last)


def commissioner_label(day: datetime.date, plural: bool = False) -> str:
    """What the statutory local commissioners were called on `day`: "CCG(s)" or "ICB(s)"."""
    label = "ICB" if day >= ICB_ESTABLISHED else "CCG"
    return label + ("s" if plural else "")


class Validity(models.Model):
    """An organisation exists from `valid_from` up to and including `valid_to` (open if empty)."""

    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Region(Validity):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    objects = ValidityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="region_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hubs:region-detail", kwargs={"slug": self.slug})


class Hub(Validity):
    """A specialised commissioning hub; its footprint is the CCGs whose `hub` it is."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="hubs")

    objects = ValidityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="hub_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workspace:hub-detail", kwargs={"slug": self.slug})


class AreaTeam(models.Model):
    """An NHS England area team of 2013: the local commissioner of primary care and each CCG's
    partner in primary care co-commissioning (seed 002, "Model 1: Greater involvement" and
    "Model 2: Joint commissioning"). ONS lists 25 (London as one); each lies in one region."""

    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="area_teams")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} area team"


class CCG(Validity):
    """A statutory local commissioner: a Clinical Commissioning Group (1 April 2013 to 30 June
    2022) or an Integrated Care Board (from 1 July 2022). The model keeps its historic name, so
    every record that names "a CCG" names an ICB in the same way; `kind` says which it is.
    Closed organisations keep their rows: `valid_to` ends them."""

    class Kind(models.TextChoices):
        CCG = "ccg", "CCG"
        ICB = "icb", "ICB"

    class Source(models.TextChoices):
        SEED = "seed", "Seed 000 appendix 2"
        SEED_CORRECTED = "seed-corrected", "Seed 000 appendix 2, name corrected"
        PUBLIC_LIST = "public-list", "Public list (absent from the seed's table)"
        SUCCESSION = "succession", "Formed by a merger"
        ICB_2022 = "icb-2022", "Established 1 July 2022 (Health and Care Act 2022)"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=3, choices=Kind.choices, default=Kind.CCG)
    # Three characters for the CCGs of 2013 and the ICBs' Q codes; five for nine 2021 CCGs.
    ods_code = models.CharField("ODS code", max_length=5, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, unique=True, null=True, blank=True)
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="ccgs")
    # Where an organisation was formed from CCGs of more than one hub, the register says so here
    # (it sits in the hub of most of the 2013 CCGs it took in).
    hub_note = models.CharField(max_length=300, blank=True)
    # An ICB's NHS England region of 2022, as the reference data gives it (the seven regions
    # of 2022 are not the four of 2015, whose regions and hubs stay as they were).
    nhs_region = models.CharField("NHS England region (2022)", max_length=40, blank=True)
    # The 2013 NHS England area team (ONS's lookup), for the CCGs of 2013 and those formed from
    # them within one team; empty for ICBs.
    area_team = models.ForeignKey(
        AreaTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="ccgs"
    )
    source = models.CharField(max_length=20, choices=Source.choices)

    objects = CCGQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "CCG"
        verbose_name_plural = "CCGs"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="ccg_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"

    def get_absolute_url(self) -> str:
        return reverse("hubs:ccg-detail", kwargs={"ods_code": self.ods_code})

    @property
    def kind_label(self) -> str:
        """ "CCG" or "ICB", as pages name this organisation."""
        return self.get_kind_display()

    @property
    def is_icb(self) -> bool:
        return self.kind == self.Kind.ICB


class CCGSuccession(models.Model):
    """`predecessor` closed the day before `effective_date`; `successor` took its population."""

    predecessor = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="predecessor_links")
    effective_date = models.DateField()
    # How the population passed where it was not simply whole (the three CCGs split in 2022).
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["effective_date", "predecessor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="ccg_succession_unique"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="ccg_succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        codes = f"{self.predecessor.ods_code} → {self.successor.ods_code}"
        return f"{codes} ({nhs_date(self.effective_date)})"

    @property
    def is_replacement(self) -> bool:
        """A CCG whose functions passed to an ICB (1 July 2022), rather than a merger of CCGs."""
        return self.successor.kind == CCG.Kind.ICB


class ProgrammeOfCare(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    scope = models.TextField(blank=True, max_length=LONG_TEXT)
    previously = models.CharField(max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "Programme of Care"
        verbose_name_plural = "Programmes of Care"

    def __str__(self) -> str:
        return self.name


# --- integrated care systems (issue 16, "What to build" 1; seed 003) -----------------------
# Each STP or ICS with its dates, its places (integrated care partnerships, ICPs) and the
# commissioners in it through time: CCGs, and from 1 July 2022 its ICB. Loaded from
# `data/ics_places.csv` by `systems_data.py`.


def _valid_range(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")), name=name
    )


class IntegratedCareSystem(Validity):
    """A sustainability and transformation partnership (STP, from 2016) or integrated care
    system (ICS); seed 003's "emerging ICS" is the North East and North Cumbria's. The
    specialised commissioning hub and region it sits in are those of the register of 2015."""

    class Kind(models.TextChoices):
        STP = "stp", "Sustainability and transformation partnership (STP)"
        ICS = "ics", "Integrated care system (ICS)"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=20, blank=True, help_text="For example, NENC.")
    kind = models.CharField(max_length=3, choices=Kind.choices, default=Kind.ICS)
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="systems")
    source = models.CharField(max_length=300, blank=True, help_text="Where the facts come from.")
    version = models.PositiveIntegerField(default=1)

    objects = ValidityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "integrated care system"
        constraints = [_valid_range("ics_valid_range")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:system-detail", kwargs={"pk": self.pk})


class Place(Validity):
    """A place within a system: an integrated care partnership (ICP) area."""

    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="places"
    )
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)

    objects = ValidityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            _valid_range("place_valid_range"),
            models.UniqueConstraint(fields=["system", "name"], name="place_name_once_per_system"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ICP"


class SystemMember(Validity):
    """A commissioner (CCG or ICB) in a system, in one of its places where it has one, from a
    date to a date. Never deleted: a merged CCG's row ends and its successor's begins."""

    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="members"
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    commissioner = models.ForeignKey(
        CCG, on_delete=models.PROTECT, related_name="system_memberships"
    )

    objects = ValidityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["commissioner__name", "valid_from"]
        constraints = [
            _valid_range("system_member_valid_range"),
            models.UniqueConstraint(
                fields=["system", "commissioner", "valid_from"],
                name="system_member_once_from_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commissioner.name} in {self.system.name}"
