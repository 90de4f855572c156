"""PDF exports, rendered by Celery and kept for the person who asked for them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


def _upload_to(export: "Export", filename: str) -> str:
    # One folder per export, so the file keeps the clean name it is downloaded under.
    return f"exports/{export.requested_at:%Y/%m}/{export.pk}/{filename}"


class Export(models.Model):
    class Kind(models.TextChoices):
        HUB_FOOTPRINT = "hub_footprint", "Hub footprint"
        MEETING_PACK = "meeting_pack", "Meeting pack and minutes"
        PRIORITIES_PLAN = "priorities_plan", "Priorities plan"
        REVIEW_REPORT = "review_report", "Peer review report"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exports"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    # The Celery task id of the run holding the render, so that the same message delivered again
    # after its worker was lost (killed mid-render) can take the render back.
    claim = models.CharField(
        max_length=64, blank=True, help_text="Task id of the run making it; empty when none is."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=_upload_to, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(claim="") | models.Q(status="running"),
                name="export_claim_only_while_running",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("exports:export-detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def is_ready(self) -> bool:
        """The PDF is made and may be downloaded."""
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_stale(self) -> bool:
        """Made from a version of its record that has since changed (say, a plan's PDF)."""
        from .renderers import STALE_CHECKS  # renderers import this module

        check = STALE_CHECKS.get(self.kind)
        return check is not None and check(self.params)

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""
