"""Every change to peer reviews: named, atomic, audited, version-locked.

The life of a review: hub staff declare readiness (from the computed checklist) → the regional
team invites the review and builds the panel → reviewers accept, decline or declare a conflict
→ the region starts the review (the panel sees the frozen plan and governance record) → each
reviewer rates every line of enquiry independently → the lead consolidates and issues the
report → hub staff respond with an action per recommendation → the region signs it off.

One module per stage; everything is importable from `reviews.services` as before.
"""

from ._base import ReviewError
from .assessment import assessment_for, assessment_save
from .cycles import DEFAULT_LINES, cycle_create, line_add
from .learning import shared_findings
from .panel import (
    Candidate,
    Candidates,
    conflicts_with_hub,
    panel_invite,
    review_invite,
    review_start,
    reviewer_candidates,
    reviewer_declare_conflict,
    reviewer_replace,
    reviewer_respond,
    start_blocker,
)
from .readiness import (
    CORE_SECTORS,
    Check,
    Readiness,
    frozen_plan_version,
    governance_record,
    open_group,
    readiness_checks,
    readiness_for,
    readiness_for_hubs,
    review_declare_ready,
)
from .report import (
    FINDING_FIELDS,
    RECOMMENDATION_FIELDS,
    correction_start,
    finding_add,
    finding_archive,
    finding_update,
    issued_recommendation_ids,
    latest_report,
    recommendation_add,
    recommendation_archive,
    recommendation_update,
    report_content,
    report_issue,
    review_consolidate,
)
from .response import recommendation_progress, response_return, response_sign_off, response_submit

__all__ = [
    "CORE_SECTORS",
    "DEFAULT_LINES",
    "FINDING_FIELDS",
    "RECOMMENDATION_FIELDS",
    "Candidate",
    "Candidates",
    "Check",
    "Readiness",
    "ReviewError",
    "assessment_for",
    "assessment_save",
    "conflicts_with_hub",
    "correction_start",
    "cycle_create",
    "finding_add",
    "finding_archive",
    "finding_update",
    "frozen_plan_version",
    "governance_record",
    "issued_recommendation_ids",
    "latest_report",
    "line_add",
    "open_group",
    "panel_invite",
    "readiness_checks",
    "readiness_for",
    "readiness_for_hubs",
    "recommendation_add",
    "recommendation_archive",
    "recommendation_progress",
    "recommendation_update",
    "report_content",
    "report_issue",
    "response_return",
    "response_sign_off",
    "response_submit",
    "review_consolidate",
    "review_declare_ready",
    "review_invite",
    "review_start",
    "reviewer_candidates",
    "reviewer_declare_conflict",
    "reviewer_replace",
    "reviewer_respond",
    "shared_findings",
    "start_blocker",
]
