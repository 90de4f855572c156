"""Each oversight group's RACI matrix: who is Responsible, Accountable, Consulted, Informed for
each step of the commissioning process (seed 000 section 3.4)."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from oversight.models import OversightGroup


class RaciMatrix(models.Model):
    """Carries the grid's version, so two people saving the grid never overwrite each other."""

    group = models.OneToOneField(OversightGroup, on_delete=models.PROTECT, related_name="raci")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"RACI matrix: {self.group.name}"


class RaciParty(models.Model):
    matrix = models.ForeignKey(RaciMatrix, on_delete=models.PROTECT, related_name="parties")
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField()
    archived = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["matrix", "name"], condition=Q(archived=False), name="raci_party_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RaciActivity(models.Model):
    matrix = models.ForeignKey(RaciMatrix, on_delete=models.PROTECT, related_name="activities")
    stage = models.CharField(max_length=120)
    name = models.CharField("Activity", max_length=200)
    order = models.PositiveSmallIntegerField()
    archived = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class RaciCell(models.Model):
    class Value(models.TextChoices):
        NONE = "", "—"
        RESPONSIBLE = "R", "Responsible"
        ACCOUNTABLE = "A", "Accountable"
        CONSULTED = "C", "Consulted"
        INFORMED = "I", "Informed"

    activity = models.ForeignKey(RaciActivity, on_delete=models.PROTECT, related_name="cells")
    party = models.ForeignKey(RaciParty, on_delete=models.PROTECT, related_name="cells")
    value = models.CharField(max_length=1, choices=Value.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "party"], name="raci_cell_once")]

    def __str__(self) -> str:
        return f"{self.activity} / {self.party}: {self.value or '-'}"
