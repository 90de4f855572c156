"""Consultations on CRG documents (issue 17, "What to build" 3; seed 000 §3.4: the oversight
groups are there for "Enabling greater CCG clinical input into specialised service national
policy development, standards and specification").

- A `Consultation` is opened by the national team on one uploaded version of a CRG's
  specification or policy: what it is about, what feedback is sought, when it opens and
  closes. It may be closed early, extended (reopened) and archived, never deleted.
- A `ConsultationResponse` is an oversight group's answer, given by the hub's staff on the
  group's behalf (`ccg` empty), or a member CCG's (later ICB's) own, given by its lead
  (`ccg` set, `group` the group it is a member of). One of each per consultation.

Imported by `national.models` (so Django sees them there); foreign keys to the national models
are strings so that this module imports none of them.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning.limits import LONG_TEXT


class Consultation(models.Model):
    """A CRG's consultation of the oversight groups on a draft document version."""

    class State(models.TextChoices):
        """Where a consultation stands on a day (worked out, not stored)."""

        SCHEDULED = "scheduled", "Not yet open"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        ARCHIVED = "archived", "Archived"

    crg = models.ForeignKey(
        "national.ClinicalReferenceGroup",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name="Clinical Reference Group",
    )
    document_version = models.ForeignKey(
        "national.CRGDocumentVersion",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name="Document version",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=LONG_TEXT)
    questions = models.TextField("What feedback is sought", max_length=LONG_TEXT)
    opens_on = models.DateField("Opens")
    closes_on = models.DateField("Closes")
    closed_early_on = models.DateField("Closed early on", null=True, blank=True)
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-closes_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="national_consultation_dates",
            ),
            models.CheckConstraint(
                condition=Q(closed_early_on__isnull=True)
                | Q(closed_early_on__gte=models.F("opens_on")),
                name="national_consultation_closed_early_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("national:consultation-detail", kwargs={"pk": self.pk})

    @property
    def last_day(self) -> datetime.date:
        """The last day responses were (or are) taken."""
        return self.closed_early_on or self.closes_on

    def state_on(self, day: datetime.date) -> str:
        if self.archived:
            return self.State.ARCHIVED
        if self.closed_early_on is not None or day > self.closes_on:
            return self.State.CLOSED
        if day < self.opens_on:
            return self.State.SCHEDULED
        return self.State.OPEN

    def is_open_on(self, day: datetime.date) -> bool:
        """Takes responses on `day`."""
        return self.state_on(day) == self.State.OPEN

    def state_label_on(self, day: datetime.date) -> str:
        return self.State(self.state_on(day)).label


# The NHS.UK tag colour of each state.
STATE_TAGS = {
    Consultation.State.SCHEDULED: "grey",
    Consultation.State.OPEN: "green",
    Consultation.State.CLOSED: "blue",
    Consultation.State.ARCHIVED: "grey",
}


class ConsultationResponse(models.Model):
    """An oversight group's response (`ccg` empty) or a member CCG's (or ICB's) own."""

    class Position(models.TextChoices):
        SUPPORT = "support", "Supports the draft"
        SUPPORT_WITH_CHANGES = "support_with_changes", "Supports the draft with changes"
        DO_NOT_SUPPORT = "do_not_support", "Does not support the draft"
        COMMENTS = "comments", "Comments only"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    group = models.ForeignKey(
        "oversight.OversightGroup",
        on_delete=models.PROTECT,
        related_name="consultation_responses",
        verbose_name="Oversight group",
    )
    ccg = models.ForeignKey(
        "hubs.CCG",
        on_delete=models.PROTECT,
        related_name="consultation_responses",
        null=True,
        blank=True,
        verbose_name="CCG or ICB",
    )
    position = models.CharField(max_length=24, choices=Position.choices)
    body = models.TextField("Response", max_length=LONG_TEXT)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["consultation", "group__hub__name", "ccg__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "group"],
                condition=Q(ccg__isnull=True),
                name="national_one_response_per_group",
            ),
            models.UniqueConstraint(
                fields=["consultation", "ccg"],
                condition=Q(ccg__isnull=False),
                name="national_one_response_per_ccg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} on {self.consultation}"

    @property
    def is_group_response(self) -> bool:
        return self.ccg_id is None

    @property
    def respondent(self) -> str:
        """Who answered, as pages say it (group, and CCG if a CCG's own; both loaded)."""
        if self.ccg is None:
            return self.group.name
        return f"{self.ccg.name} (member of {self.group.name})"
