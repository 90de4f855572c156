"""Terms of reference and collaboration agreements: versioned, agreed, never deleted; and the
national drafts (templates) a group's documents start from (seed 000 §3.4.2)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning.limits import LONG_TEXT
from oversight.models import OversightGroup


class GovernanceDocument(models.Model):
    class Kind(models.TextChoices):
        TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"
        COLLABORATION_AGREEMENT = "collaboration_agreement", "Collaboration agreement"

    group = models.ForeignKey(OversightGroup, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=30, choices=Kind.choices)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["group", "kind"], name="governance_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.group.name}"


# The kinds of national template: one per kind of document, and a strategy board's own terms of
# reference (issue 16), which a board's terms start from instead of the oversight group's.
BOARD_TERMS = "board_terms_of_reference"
TEMPLATE_KINDS = [
    *GovernanceDocument.Kind.choices,
    (BOARD_TERMS, "Strategy board terms of reference"),
]


def template_kind_for(group: OversightGroup, kind: str) -> str:
    """The national template a group's document of `kind` starts from: a strategy board's
    terms of reference start from the board template (issue 16)."""
    if group.is_board and kind == GovernanceDocument.Kind.TERMS_OF_REFERENCE:
        return BOARD_TERMS
    return kind


class NationalTemplate(models.Model):
    """The national draft of one kind of document, kept by national admins for groups to adapt
    locally (seed 000 §3.4.2: "we have developed draft terms of reference and a collaborative
    agreement ... there is scope to adapt these to reflect local arrangements")."""

    kind = models.CharField(max_length=30, choices=TEMPLATE_KINDS, unique=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"National {self.get_kind_display().lower()} template"


class NationalTemplateVersion(models.Model):
    """One version of a national template. A draft may change (under optimistic locking); once
    published it is frozen and is the current one until a later version is published, when it
    is archived. A draft set aside is archived too. Nothing is deleted."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    template = models.ForeignKey(
        NationalTemplate, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    body = models.TextField("Text", max_length=LONG_TEXT)
    change_summary = models.CharField("What changed", max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="national_template_version_number"
            ),
            models.UniqueConstraint(
                fields=["template"],
                condition=Q(status="published"),
                name="national_template_one_published",
            ),
            models.UniqueConstraint(
                fields=["template"],
                condition=Q(status="draft"),
                name="national_template_one_draft",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="national_template_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("governance:template-version", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        """The current national draft of its kind: what a group's new document starts from."""
        return self.status == self.Status.PUBLISHED

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED


def _upload_to(version: "DocumentVersion", filename: str) -> str:
    return f"governance/{version.document.group_id}/{filename}"


class DocumentVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"
        SUPERSEDED = "superseded", "Superseded"

    document = models.ForeignKey(
        GovernanceDocument, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    body = models.TextField("Text", blank=True, max_length=LONG_TEXT)
    file = models.FileField(upload_to=_upload_to, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    change_summary = models.CharField("What changed", max_length=300, blank=True)
    # The quorum rule meetings use (terms of reference only).
    quorum_chair_or_vice_required = models.BooleanField(
        "Chair or vice chair must be present", default=True
    )
    quorum_min_ccg_members = models.PositiveSmallIntegerField(
        "Voting CCG members needed", default=3
    )
    agreed_on = models.DateField(null=True, blank=True)
    # The national template version the document's text started from (seed 000 §3.4.2).
    from_template = models.ForeignKey(
        NationalTemplateVersion,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="Started from national template",
    )
    agreed_at_meeting = models.CharField("Agreed at", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_number"),
            models.UniqueConstraint(
                fields=["document"], condition=Q(status="agreed"), name="document_one_agreed"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(agreed_on__isnull=False),
                name="document_version_agreed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.get_kind_display()} v{self.number} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("governance:version-detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_agreed(self) -> bool:
        return self.status == self.Status.AGREED

    @property
    def is_superseded(self) -> bool:
        """A later version has been agreed; this one is kept as a record."""
        return self.status == self.Status.SUPERSEDED
