"""The idea exchange (issue 17, "What to build" 5): "a web-based platform for exchanging ideas"
between hubs (seed 000 §4.2), where what works is shared: benefits, perverse incentives,
blockages and good practice (seed 000 §4.2.1).

A post is an idea or a practice, written by hub staff, a CCG/ICB lead or a regional team for
their organisation, tagged by Programme(s) of Care, a Clinical Reference Group and theme(s).
Others comment, ask to be put in touch, follow it, and a hub that takes it up marks it
adopted, pointing at its own priority.
Nothing here is deleted: national admins hide a post or a comment with a reason, and can show it
again; attachments are kept; a follow ends and can start again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning.limits import LONG_TEXT
from hubs.models import CCG, Hub, ProgrammeOfCare, Region
from national.models import ClinicalReferenceGroup
from priorities.models import Proposal

THEME_SEPARATOR = "|"


class Theme(models.TextChoices):
    """The themes a post is tagged with: a fixed list (product decision), from the subjects the
    seeds ask hubs to learn from each other about (seed 000 §4.2.1: benefits, perverse
    incentives, blockages, good practice; §3: QIPP, access, quality, equity)."""

    PATHWAY = "pathway", "Pathway redesign"
    VALUE = "value", "QIPP and value"
    ACCESS = "access", "Access and equity"
    WORKFORCE = "workforce", "Workforce"
    EXPERIENCE = "experience", "Patient experience"
    DIGITAL = "digital", "Data and digital"
    GOVERNANCE = "governance", "Governance"


class Organisation(models.TextChoices):
    HUB = "hub", "Hub"
    REGION = "region", "Regional team"
    CCG = "ccg", "CCG or ICB"


class Moderated(models.Model):
    """Hidden by a national admin, with the reason; shown again by clearing it."""

    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_reason = models.TextField("Reason for hiding", blank=True, max_length=LONG_TEXT)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Post(Moderated):
    """An idea or a practice, shared by its author for their organisation."""

    title = models.CharField(max_length=200)
    problem = models.TextField("The problem", max_length=LONG_TEXT)
    tried = models.TextField("What was tried", blank=True, max_length=LONG_TEXT)
    results = models.TextField("Results", blank=True, max_length=LONG_TEXT)
    contacts = models.TextField("Contacts", blank=True, max_length=LONG_TEXT)
    programmes = models.ManyToManyField(
        ProgrammeOfCare, blank=True, related_name="+", verbose_name="Programmes of Care"
    )
    crg = models.ForeignKey(
        ClinicalReferenceGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="idea_posts",
        verbose_name="Clinical Reference Group",
    )
    # The chosen themes' values between separators ("|pathway|workforce|"), so one filter
    # (`themes__contains="|pathway|"`) works on SQLite and PostgreSQL and the history keeps them.
    themes = models.CharField(max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="idea_posts"
    )
    organisation = models.CharField(max_length=6, choices=Organisation.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    hub = models.ForeignKey(Hub, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ccg = models.ForeignKey(CCG, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[programmes])

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation="region") & Q(hub__isnull=True) & Q(ccg__isnull=True))
                | (Q(organisation="hub") & Q(hub__isnull=False) & Q(ccg__isnull=True))
                | (Q(organisation="ccg") & Q(hub__isnull=False) & Q(ccg__isnull=False)),
                name="idea_post_organisation_fits",
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="idea_post_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:post-detail", kwargs={"pk": self.pk})

    @property
    def theme_values(self) -> list[str]:
        return [t for t in self.themes.split(THEME_SEPARATOR) if t]

    @property
    def theme_labels(self) -> list[str]:
        return [Theme(t).label for t in self.theme_values if t in Theme.values]

    @property
    def organisation_name(self) -> str:
        if self.ccg_id:
            return self.ccg.name
        if self.hub_id:
            return f"{self.hub.name} hub"
        return f"{self.region.name} regional team"


def themes_field(values) -> str:
    """The stored form of a list of themes, in the list's order, each once."""
    chosen = [t for t in Theme.values if t in set(values)]
    return f"{THEME_SEPARATOR}{THEME_SEPARATOR.join(chosen)}{THEME_SEPARATOR}" if chosen else ""


def _attachment_upload_to(attachment: "Attachment", filename: str) -> str:
    return f"ideas/{attachment.post_id}/{filename}"


class Attachment(models.Model):
    """A document attached to a post (PDF or DOCX, judged by content). Kept, never deleted;
    served to those who may read the post."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="attachments")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=_attachment_upload_to)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="idea_attachment_once")
        ]

    def __str__(self) -> str:
        return self.original_filename

    @property
    def extension(self) -> str:
        return "pdf" if self.content_type == "application/pdf" else "docx"


class Comment(Moderated):
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("Comment", max_length=LONG_TEXT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="idea_comment_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment on {self.post}"


class Follow(models.Model):
    """A person follows a post: they are emailed each new comment. Unfollowing ends the row
    (`ended_at`); following again opens it."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="idea_follow_once")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.post}"


class ContactRequest(models.Model):
    """ "Put me in touch": a reader asks the author to get in touch (the author is emailed)."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="contact_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField("Message to the author", blank=True, max_length=LONG_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "requester"], name="idea_contact_once")
        ]

    def __str__(self) -> str:
        return f"{self.requester} asks to be put in touch about {self.post}"


class Adoption(models.Model):
    """Another hub took the idea up, as a priority of its own plan."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="adoptions")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, max_length=LONG_TEXT)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    adopted_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["adopted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "hub"], name="idea_adopted_once_per_hub")
        ]

    def __str__(self) -> str:
        return f"{self.post} adopted by {self.hub}"
