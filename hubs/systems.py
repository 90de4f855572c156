"""Integrated care systems in the register (issue 16, "What to build" 1; seed 003): each STP or
ICS with its dates, its places (integrated care partnerships, ICPs) and the commissioners in it
through time: CCGs, and from 1 July 2022 its ICB. Imported by models.py (Django finds models
there); the seeding from `data/ics_places.csv` is `reference.py`'s."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .querysets import ValidityQuerySet


def _valid_range(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")), name=name
    )


class IntegratedCareSystem(models.Model):
    """A sustainability and transformation partnership (STP, from 2016) or integrated care
    system (ICS); seed 003's "emerging ICS" is the North East and North Cumbria's. The
    specialised commissioning hub and region it sits in are those of the register of 2015."""

    class Kind(models.TextChoices):
        STP = "stp", "Sustainability and transformation partnership (STP)"
        ICS = "ics", "Integrated care system (ICS)"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=20, blank=True, help_text="For example, NENC.")
    kind = models.CharField(max_length=3, choices=Kind.choices, default=Kind.ICS)
    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="systems")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
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

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Place(models.Model):
    """A place within a system: an integrated care partnership (ICP) area."""

    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="places"
    )
    name = models.CharField(max_length=200)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
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


class SystemMember(models.Model):
    """A commissioner (CCG or ICB) in a system, in one of its places where it has one, from a
    date to a date. Never deleted: a merged CCG's row ends and its successor's begins."""

    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="members"
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    commissioner = models.ForeignKey(
        "hubs.CCG", on_delete=models.PROTECT, related_name="system_memberships"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

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
