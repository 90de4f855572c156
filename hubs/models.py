"""The organisation register: regions, hubs, CCGs (with their changes over time), PoCs."""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning.dates import nhs_date

from .querysets import CCGQuerySet, ValidityQuerySet


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


class CCG(Validity):
    """A Clinical Commissioning Group. Merged CCGs keep their rows: `valid_to` ends them."""

    class Source(models.TextChoices):
        SEED = "seed", "Seed 000 appendix 2"
        SEED_CORRECTED = "seed-corrected", "Seed 000 appendix 2, name corrected"
        PUBLIC_LIST = "public-list", "Public list (absent from the seed's table)"
        SUCCESSION = "succession", "Formed by a merger"

    name = models.CharField(max_length=200)
    ods_code = models.CharField("ODS code", max_length=3, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, unique=True, null=True, blank=True)
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="ccgs")
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


class CCGSuccession(models.Model):
    """`predecessor` closed the day before `effective_date`; `successor` took its population."""

    predecessor = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="predecessor_links")
    effective_date = models.DateField()

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


class ProgrammeOfCare(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    scope = models.TextField(blank=True)
    previously = models.CharField(max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "Programme of Care"
        verbose_name_plural = "Programmes of Care"

    def __str__(self) -> str:
        return self.name
