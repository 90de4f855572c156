"""Evaluation of what works (issue 17, "What to build" 6; seed 000 §4.2.1: "It will be
important to evaluate ... What is and is not working; The measurable service change benefits;
Any unforeseen perverse incentives and system blockages; and Examples of good practice").

After a plan's financial year has ended, the hub's staff record one evaluation of each priority
the group included: the benefits realised against the planned QIPP and quality aims (with a
rating), what worked, perverse incentives, blockages and good practice, under one of the idea
exchange's themes. They may share it, once, to the learning library (the text as it stood is
kept in `shared_content`) and to the idea exchange (a post of the hub's). Nothing is deleted: a
mistaken evaluation is archived with its reason, and the priority may be evaluated again.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning.limits import LONG_TEXT
from ideas.models import Theme


class Rating(models.TextChoices):
    """Were the priority's planned aims (its QIPP and quality aims) met?"""

    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


def year_end(year: int) -> datetime.date:
    """The last day of financial year `year` (2015 → 31 March 2016)."""
    return datetime.date(year + 1, 3, 31)


def evaluation_opens_on(year: int) -> datetime.date:
    """The first day a priority of year `year`'s plan may be evaluated: the day after its
    financial year ends (issue 17: "after its financial year"; 2015 → 1 April 2016)."""
    return year_end(year) + datetime.timedelta(days=1)


class Evaluation(models.Model):
    proposal = models.ForeignKey(
        "priorities.Proposal",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name="Priority",
    )
    rating = models.CharField("Were the planned aims met?", max_length=10, choices=Rating.choices)
    qipp_realised = models.DecimalField(
        "QIPP savings realised (£)", max_digits=12, decimal_places=0, default=0
    )
    # What the priority planned to save, when it was evaluated: the QIPP target set for its
    # delivery, or the proposal's estimate where no target was set. Kept beside the realised
    # figure so the national summary compares like with like.
    planned_qipp = models.DecimalField(
        "QIPP savings planned (£)", max_digits=12, decimal_places=0, default=0
    )
    benefits = models.TextField("Benefits realised", max_length=LONG_TEXT)
    working = models.TextField("What worked and what did not", blank=True, max_length=LONG_TEXT)
    perverse_incentives = models.TextField(
        "Perverse incentives found", blank=True, max_length=LONG_TEXT
    )
    blockages = models.TextField("System blockages", blank=True, max_length=LONG_TEXT)
    good_practice = models.TextField("Good practice", blank=True, max_length=LONG_TEXT)
    theme = models.CharField(max_length=12, choices=Theme.choices)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    archive_reason = models.TextField("Reason for archiving", blank=True, max_length=LONG_TEXT)
    library_shared_at = models.DateTimeField(null=True, blank=True)
    library_shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The evaluation as it was shared (its text, rating and figures): later edits are not.
    shared_content = models.JSONField(default=dict, blank=True)
    idea_post = models.ForeignKey(
        "ideas.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    idea_shared_at = models.DateTimeField(null=True, blank=True)
    idea_shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(archived_at__isnull=True),
                name="evaluation_once_per_priority",
            ),
            models.CheckConstraint(
                condition=Q(qipp_realised__gte=0) & Q(planned_qipp__gte=0),
                name="evaluation_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True) | ~Q(archive_reason=""),
                name="evaluation_archived_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(idea_post__isnull=True) | Q(idea_shared_at__isnull=False),
                name="evaluation_idea_shared_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.proposal}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:detail", kwargs={"pk": self.pk})

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def in_library(self) -> bool:
        return self.library_shared_at is not None

    @property
    def in_ideas(self) -> bool:
        return self.idea_post_id is not None

    @property
    def theme_label(self) -> str:
        return Theme(self.theme).label if self.theme in Theme.values else self.theme

    @property
    def rating_colour(self) -> str:
        """The design system's tag colour for the rating."""
        return {Rating.MET: "green", Rating.PARTLY_MET: "orange"}.get(self.rating, "red")

    @property
    def qipp_difference(self):
        return self.qipp_realised - self.planned_qipp
