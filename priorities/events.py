"""The audit verbs of priorities plans, one name per event (the stored text never changes:
reports and the audit trail search by it)."""

from commissioning import audit

PLAN_CREATED = "plan.created"
PLAN_UPDATED = "plan.updated"
PLAN_SUBMITTED = "plan.submitted"
PLAN_ASSURED = "plan.assured"
PLAN_ASSURED_WITH_OVERRIDE = "plan.assured_with_override"
PLAN_PUBLISHED = "plan.published"
PLAN_REOPENED = "plan.reopened"
PLAN_ROLLED_FORWARD = "plan.rolled_forward"
PLAN_VERSION_PDF_REQUESTED = "plan.version_pdf_requested"
PLAN_VERSION_PDF_MADE = "plan.version_pdf_made"

PROPOSAL_CREATED = "proposal.created"
PROPOSAL_UPDATED = "proposal.updated"
PROPOSAL_SUBMITTED = "proposal.submitted"
PROPOSAL_INFO_REQUESTED = "proposal.info_requested"
PROPOSAL_DECIDED = "proposal.decided"
PROPOSAL_COMMENTED = "proposal.commented"
PROPOSAL_SCORED = "proposal.scored"

CRITERIA_SEEDED = "criteria.seeded"
CRITERIA_ADDED = "criteria.added"
CRITERIA_WEIGHTED = "criteria.weighted"
CRITERIA_CHANGED = "criteria.changed"
CRITERIA_ARCHIVED = "criteria.archived"
ASSESSOR_ADDED = "assessor.added"

DELIVERY_SET = "delivery.set"
DELIVERY_UPDATED = "delivery.updated"
MILESTONE_ADDED = "milestone.added"
MILESTONE_UPDATED = "milestone.updated"

# The joint programme of work (issue 17 part 4): the agreed way forward for an overlap.
OVERLAP_AGREED = "programme.overlap_agreed"
OVERLAP_CHANGED = "programme.overlap_changed"

audit.label_verbs(
    {
        OVERLAP_AGREED: "Way forward agreed for an overlap with a national review",
        OVERLAP_CHANGED: "Way forward changed for an overlap with a national review",
    }
)
