"""The shared kernel's models: the audit trail every governance action writes to."""

from django.conf import settings
from django.db import models

# How each audit verb reads on a history page.
VERB_LABELS = {
    "reference_data.loaded": "Reference data loaded",
    "user.created": "Person added",
    "role.granted": "Role given",
    "role.ended": "Role ended",
    "export.requested": "PDF asked for",
    "group.created": "Group set up",
    "group.updated": "Group details changed",
    "ccg.invited": "CCG invited",
    "ccg.accept": "CCG joined as a member",
    "ccg.decline": "CCG declined",
    "ccg.represent": "CCG chose to be represented",
    "ccg.withdrawn": "CCG withdrew",
    "ccg.representation_lost": "CCG lost its representation",
    "ccg.handed_over": "Place passed to the successor organisation",
    "ccg.representation_confirmed": "Representation confirmed by the representative",
    "ccg.representation_declined": "Representation declined by the representative",
    "member.added": "Member added",
    "member.updated": "Member changed",
    "document.drafted": "Document drafted",
    "document.updated": "Draft changed",
    "document.agreed": "Document agreed",
    "meeting.scheduled": "Meeting scheduled",
    "meeting.updated": "Meeting changed",
    "item.added": "Agenda item added",
    "item.updated": "Agenda item changed",
    "attendance.recorded": "Attendance recorded",
    "interest.declared": "Interest declared",
    "action.added": "Action added",
    "action.updated": "Action changed",
    "recommendation.made": "Recommendation made",
    "recommendation.responded": "Region responded",
    "interest.registered": "Interest registered",
    "interest.updated": "Interest changed",
    "subgroup.created": "Sub-group set up",
    "subgroup.updated": "Sub-group changed",
    "paper.attached": "Paper attached",
    "raci.seeded": "RACI matrix started from the default",
    "raci.saved": "RACI matrix saved",
    "raci.activity_added": "RACI activity added",
    "raci.party_added": "RACI party added",
    "raci.archived": "RACI row or column archived",
    "plan.created": "Priorities plan started",
    "plan.updated": "Plan sections changed",
    "plan.submitted": "Plan submitted for peer review",
    "plan.assured": "Plan assured",
    "plan.assured_with_override": "Plan assured without its peer review report",
    "plan.published": "Plan published",
    "plan.reopened": "Plan reopened",
    "proposal.created": "Priority proposed",
    "proposal.updated": "Proposal changed",
    "proposal.submitted": "Proposal submitted",
    "proposal.info_requested": "More information requested",
    "proposal.decided": "Proposal decided",
    "proposal.commented": "Comment on a proposal",
    "proposal.scored": "Proposal scored",
    "criteria.seeded": "Assessment criteria set",
    "criteria.weighted": "Criterion weight changed",
    "assessor.added": "Assessor added",
    "plan.rolled_forward": "Plan started from last year's",
    "delivery.set": "Delivery arrangements set",
    "delivery.updated": "Delivery update reported",
    "milestone.added": "Milestone added",
    "milestone.updated": "Milestone status changed",
    "criteria.added": "Criterion added",
    "criteria.changed": "Criterion changed",
    "criteria.archived": "Criterion archived",
    "plan.version_pdf_made": "Published plan PDF made",
    "plan.version_pdf_requested": "Published plan PDF requested",
    "review_cycle.created": "Peer review cycle started",
    "review_cycle.line_added": "Line of enquiry added",
    "peer_review.ready_declared": "Readiness declared",
    "peer_review.invited": "Review invited",
    "peer_review.reviewer_invited": "Reviewer invited",
    "peer_review.reviewer_accepted": "Reviewer accepted",
    "peer_review.reviewer_declined": "Reviewer declined",
    "peer_review.reviewer_conflicted": "Reviewer declared a conflict",
    "peer_review.started": "Review started",
    "peer_review.assessment_submitted": "Reviewer submitted their review",
    "peer_review.consolidated": "Overall rating and summary saved",
    "peer_review.finding_added": "Finding added",
    "peer_review.finding_updated": "Finding changed",
    "peer_review.finding_archived": "Finding removed",
    "peer_review.recommendation_added": "Recommendation added",
    "peer_review.recommendation_updated": "Recommendation changed",
    "peer_review.recommendation_archived": "Recommendation removed",
    "peer_review.report_issued": "Report issued",
    "peer_review.report_corrected": "Corrected report issued",
    "peer_review.responded": "Hub responded",
    "peer_review.signed_off": "Response signed off",
    "peer_review.response_returned": "Response returned to the hub",
    "peer_review.recommendation_progress": "Progress on a recommendation",
    "outbox.retried": "Email or background work retried",
    "cocommissioning.application.created": "Co-commissioning application drafted",
    "cocommissioning.application.updated": "Application changed",
    "cocommissioning.document.attached": "Document attached",
    "cocommissioning.application.confirmed": "CCG confirmed it takes part",
    "cocommissioning.application.submitted": "Application submitted",
    "cocommissioning.application.withdrawn": "Application withdrawn",
    "cocommissioning.application.late_agreed": "Region agreed to a late application",
    "cocommissioning.application.review_started": "Regional review started",
    "cocommissioning.application.question": "Question asked",
    "cocommissioning.application.answer": "Question answered",
    "cocommissioning.application.note": "Note added",
    "cocommissioning.application.changes_requested": "Changes requested",
    "cocommissioning.conflicts.reviewed": "Conflicts of interest checklist saved",
    "cocommissioning.application.approved": "Approved by the region",
    "cocommissioning.application.recommended": "Assured and recommended by the region",
    "cocommissioning.application.signed_off": "Signed off by the Commissioning Committee",
    "cocommissioning.application.not_approved": "Not approved",
    "cocommissioning.application.live": "Arrangements went live",
    "cocommissioning.arrangement.recorded": "Greater involvement recorded",
    "cocommissioning.window.added": "Application window added",
    "cocommissioning.interest.declared": "Interest registered",
    "cocommissioning.interest.updated": "Interest changed",
}


class AuditEvent(models.Model):
    """One governance action: who did what, when, to which record. Never edited or deleted."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        help_text="Empty for actions taken by the system (a command or a scheduled task).",
    )
    verb = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(max_length=255)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.target_repr}"

    @property
    def label(self) -> str:
        return VERB_LABELS.get(self.verb, self.verb)


class OutboxItem(models.Model):
    """Work a change owes, written in the same transaction as the change (issue 14: a durable
    outbox). `commissioning.outbox` publishes it after commit and again from a beat relay until
    a worker has done it; a worker claims it with a conditional update, so it is done once.

    Records that already say what they owe (exports, published versions' PDFs, reminder claims)
    are their own outbox entries, with their own sweeps; this holds everything else: the
    welcome email, invitations, representation requests, reviewer invitations."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be queued"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being done"
        DONE = "done", "Done"
        FAILED = "failed", "Failed: needs a retry"

    key = models.CharField(
        max_length=200, unique=True, help_text="What the work is, once: a second add is ignored."
    )
    task = models.CharField(max_length=200, help_text="The Celery task that does the work.")
    args = models.JSONField(default=list, blank=True)
    label = models.CharField(max_length=200, help_text="What it is, for the delivery log.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(help_text="When the state last changed.")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"

    @property
    def may_retry(self) -> bool:
        return self.state in (self.State.FAILED, self.State.PENDING)
