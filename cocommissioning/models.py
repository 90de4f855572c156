"""Primary care co-commissioning (seed 002): each CCG's model through time, its applications,
the application windows of each year, the region's conflicts-of-interest review and each CCG's
register of interests.

Seed 002's sections are cited by their headings: "Model 1: Greater involvement", "Model 2: Joint
commissioning", "Model 3: Delegated arrangements", "Scope of delegated arrangements", "Sign-off
and approvals", "Implementation timetable" and "Arrangements for 2015/16".
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning.limits import LONG_TEXT
from hubs.models import CCG


class Model(models.TextChoices):
    """The three forms of co-commissioning (seed 002, "Scope of co-commissioning")."""

    GREATER_INVOLVEMENT = "greater_involvement", "Greater involvement"
    JOINT = "joint", "Joint commissioning"
    DELEGATED = "delegated", "Delegated commissioning"


class Function(models.TextChoices):
    """Functions a CCG may take on (seed 002, "Scope of delegated arrangements")."""

    GMS_PMS = "gms_pms", "GMS and PMS contracts"
    ENHANCED = "enhanced", "Enhanced services (GP and pharmacy, LES and DES)"
    PROPERTY = "property", "Property costs"
    QOF = "qof", "QOF (full delegation only)"


# Proposed as excluded from delegation, with the seed's reason ("Scope of delegated
# arrangements"): shown, never offered.
EXCLUDED_FUNCTIONS = [
    (
        "Revalidation",
        "No appetite among CCGs to take it on; NHS England proposes to keep it.",
    ),
    ("Performers lists", "No appetite among CCGs to take them on; NHS England keeps them."),
    (
        "Individual and practice performance management",
        "Many CCGs believe it should not be open for delegation; NHS England keeps it.",
    ),
]


class ApplicationWindow(models.Model):
    """When proposals for a model going live on a date are due (seed 002, "Implementation
    timetable" and "Arrangements for 2015/16"). Seeded for 2015/16 and April 2016; national
    admins add later years."""

    model = models.CharField(max_length=20, choices=Model.choices)
    go_live_on = models.DateField(help_text="The day arrangements go live (1 April).")
    submit_by = models.DateField(help_text="Proposals are due by this day.")
    sign_off_on = models.DateField(
        null=True, blank=True, help_text="The Commissioning Committee's sign-off (delegated)."
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where the dates come from.")
    archived = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["go_live_on", "model"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "go_live_on"],
                condition=Q(archived=False),
                name="one_open_window_per_model_and_go_live",
            ),
            models.CheckConstraint(
                condition=Q(submit_by__lt=models.F("go_live_on")), name="window_due_before_live"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_model_display()} from {self.go_live_on:%-d %B %Y}"


class Application(models.Model):
    """A proposal by one CCG (or several, for a joint committee) to take on a model from a
    go-live date. Kept for ever: refused or withdrawn applications stay, with their reasons."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        UNDER_REVIEW = "under_review", "Under regional review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        RECOMMENDED = "recommended", "Assured and recommended by the region"
        IMPLEMENTING = "implementing", "Approved: implementing"
        LIVE = "live", "Live"
        NOT_APPROVED = "not_approved", "Not approved"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN = [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.CHANGES_REQUESTED,
        Status.RECOMMENDED,
        Status.IMPLEMENTING,
    ]

    model = models.CharField(max_length=20, choices=Model.choices)
    go_live_on = models.DateField("Go-live date")
    lead_ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="+")
    functions = models.JSONField(default=list, blank=True)
    pooled_budget = models.BooleanField(
        default=False, help_text="Joint only: a pooled budget must meet financial instructions."
    )
    summary = models.TextField(blank=True, max_length=LONG_TEXT)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    late_agreed_at = models.DateTimeField(null=True, blank=True)
    late_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late_reason = models.TextField(blank=True, max_length=LONG_TEXT)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True, max_length=LONG_TEXT)
    live_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-go_live_on", "-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "go_live_on"])]

    def __str__(self) -> str:
        return f"{self.get_model_display()} from {self.go_live_on:%-d %B %Y}: {self.lead_ccg.name}"

    def get_absolute_url(self) -> str:
        return reverse("cocommissioning:application-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)

    @property
    def function_labels(self) -> list[str]:
        return [Function(f).label for f in self.functions if f in Function.values]


class ApplicationCCG(models.Model):
    """A CCG taking part in an application. Each CCG's lead confirms it (joint applications:
    every CCG of the joint committee); the lead CCG's drafting lead confirms by submitting."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="parties")
    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="co_applications")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["ccg__name"]
        constraints = [
            models.UniqueConstraint(fields=["application", "ccg"], name="one_party_per_ccg")
        ]

    def __str__(self) -> str:
        return self.ccg.name


class Document(models.Model):
    """A document an application rests on (PDF or DOCX, judged by content). Replaced documents
    are withdrawn, not deleted; the version submitted stays on record."""

    class Kind(models.TextChoices):
        CONSTITUTION = "constitution", "Constitution amendment"
        TERMS = "terms", "Joint committee terms of reference"
        DELEGATION = "delegation", "Scheme of delegation"
        CONFLICTS = "conflicts", "Conflicts of interest arrangements"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to="cocommissioning/")
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    withdrawn = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        ordering = ["kind", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_filename}"


# Which documents each model needs before it may be submitted (seed 002, "Model 2: Joint
# commissioning": a constitution amendment, and the governance framework's model terms of
# reference and scheme of delegation; "Model 3: Delegated arrangements": how the CCG will
# handle conflicts of interest; the product also asks delegated CCGs for their constitution
# amendment, which the "Implementation timetable" accepts with the proposal).
REQUIRED_DOCUMENTS = {
    Model.JOINT: [Document.Kind.CONSTITUTION, Document.Kind.TERMS, Document.Kind.DELEGATION],
    Model.DELEGATED: [Document.Kind.CONSTITUTION, Document.Kind.CONFLICTS],
    Model.GREATER_INVOLVEMENT: [],
}


class Message(models.Model):
    """The conversation on an application: the region's questions and requests for changes, the
    CCG's answers, and notes. Never edited."""

    class Kind(models.TextChoices):
        QUESTION = "question", "Question"
        ANSWER = "answer", "Answer"
        CHANGES = "changes", "Changes requested"
        NOTE = "note", "Note"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(max_length=LONG_TEXT)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.application_id}"


class ConflictsReview(models.Model):
    """The region's review of how a CCG will handle and mitigate conflicts of interest, for a
    delegated application (seed 002, "Model 3: Delegated arrangements"). The checklist is the
    product's, from the seed's safeguards: registers of interests, declarations at meetings,
    who may take part in which decision, and GP members' interests in contracts."""

    class Answer(models.TextChoices):
        MET = "met", "Met"
        PARTLY = "partly", "Partly met"
        NOT_MET = "not_met", "Not met"

    class Outcome(models.TextChoices):
        ASSURED = "assured", "Assured"
        NOT_ASSURED = "not_assured", "Not assured"

    CHECKS = [
        ("register", "A register of interests is kept and published"),
        ("declarations", "Interests are declared at the start of every meeting"),
        ("exclusions", "It is set out who is excluded from which decisions"),
        ("gp_contracts", "GP members' interests in contracts are handled"),
    ]

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="conflicts_review"
    )
    register = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    register_evidence = models.TextField(blank=True, max_length=LONG_TEXT)
    declarations = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    declarations_evidence = models.TextField(blank=True, max_length=LONG_TEXT)
    exclusions = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    exclusions_evidence = models.TextField(blank=True, max_length=LONG_TEXT)
    gp_contracts = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    gp_contracts_evidence = models.TextField(blank=True, max_length=LONG_TEXT)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True, max_length=LONG_TEXT)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Conflicts of interest review of {self.application}"

    @property
    def rows(self) -> list[tuple[str, str, str, str]]:
        """(field, label, answer label, evidence) for each check."""
        return [
            (name, label, getattr(self, f"get_{name}_display")(), getattr(self, f"{name}_evidence"))
            for name, label in self.CHECKS
        ]


class Arrangement(models.Model):
    """A CCG's co-commissioning model from a date (to a date): what the CCG does, through time.
    Greater involvement needs no approval (seed 002, "Model 1"); joint and delegated begin when
    an approved application goes live. Ended, never deleted."""

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="co_arrangements")
    model = models.CharField(max_length=20, choices=Model.choices)
    functions = models.JSONField(default=list, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="arrangements"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["ccg__name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["ccg"], condition=Q(valid_to__isnull=True), name="one_open_arrangement"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="arrangement_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ccg.name}: {self.get_model_display()} from {self.valid_from}"


class Interest(models.Model):
    """An entry in a CCG's public register of interests for co-commissioning decision-makers
    (seed 002, "Model 3: Delegated arrangements": confidence that conflicts, real and perceived,
    are managed). Readable by anyone signed in; ended or archived, never deleted."""

    class Kind(models.TextChoices):
        FINANCIAL = "financial", "Financial"
        PROFESSIONAL = "professional", "Non-financial professional"
        PERSONAL = "personal", "Non-financial personal"
        INDIRECT = "indirect", "Indirect"

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="co_interests")
    person = models.CharField(max_length=200)
    position = models.CharField(max_length=200, help_text="For example, GP member, governing body.")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    description = models.TextField(max_length=LONG_TEXT)
    managed_by = models.TextField(
        "How it is managed", blank=True, max_length=LONG_TEXT, help_text="For example, excluded."
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    archived = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "-valid_from", "pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"


class AgendaEntry(models.Model):
    """A delegated application on the agenda of a Commissioning Committee meeting, and the
    committee's decision on it there (issue 15, "What to build" 5; seed 002, "Sign-off and
    approvals"). The decision keeps who took part and who was excluded for a declared interest
    as they stood when it was made; an application deferred at one meeting goes on another's
    agenda as a new entry."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Not yet decided"
        SIGNED_OFF = "signed_off", "Signed off"
        NOT_APPROVED = "not_approved", "Not approved"
        DEFERRED = "deferred", "Deferred to a later meeting"

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="agenda_entries"
    )
    item = models.OneToOneField(
        "meetings.AgendaItem", on_delete=models.PROTECT, related_name="co_entry"
    )
    outcome = models.CharField(max_length=14, choices=Outcome.choices, default=Outcome.PENDING)
    reasons = models.TextField(blank=True, max_length=LONG_TEXT)
    # [{"name", "organisation", "role", "voting"}] and [{"name", "organisation", "interest",
    # "managed_by"}], as at the decision.
    took_part = models.JSONField(default=list, blank=True)
    excluded = models.JSONField(default=list, blank=True)
    quorum = models.CharField(max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(outcome="pending"),
                name="one_pending_agenda_entry_per_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} at {self.item.meeting}"

    @property
    def is_pending(self) -> bool:
        return self.outcome == self.Outcome.PENDING
