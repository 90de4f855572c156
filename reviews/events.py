"""The audit events peer reviews record, by name. The value is the verb stored on the audit
event (and read by history pages and reports): never change a value, add a new one."""

from enum import StrEnum


class Event(StrEnum):
    CYCLE_CREATED = "review_cycle.created"
    CYCLE_LINE_ADDED = "review_cycle.line_added"
    READY_DECLARED = "peer_review.ready_declared"
    INVITED = "peer_review.invited"
    REVIEWER_INVITED = "peer_review.reviewer_invited"
    REVIEWER_ACCEPTED = "peer_review.reviewer_accepted"
    REVIEWER_DECLINED = "peer_review.reviewer_declined"
    REVIEWER_CONFLICTED = "peer_review.reviewer_conflicted"
    STARTED = "peer_review.started"
    ASSESSMENT_SUBMITTED = "peer_review.assessment_submitted"
    CONSOLIDATED = "peer_review.consolidated"
    FINDING_ADDED = "peer_review.finding_added"
    FINDING_UPDATED = "peer_review.finding_updated"
    FINDING_ARCHIVED = "peer_review.finding_archived"
    RECOMMENDATION_ADDED = "peer_review.recommendation_added"
    RECOMMENDATION_UPDATED = "peer_review.recommendation_updated"
    RECOMMENDATION_ARCHIVED = "peer_review.recommendation_archived"
    RECOMMENDATION_PROGRESS = "peer_review.recommendation_progress"
    REPORT_ISSUED = "peer_review.report_issued"
    REPORT_CORRECTED = "peer_review.report_corrected"
    CORRECTION_STARTED = "peer_review.correction_started"
    RESPONDED = "peer_review.responded"
    RESPONSE_RETURNED = "peer_review.response_returned"
    SIGNED_OFF = "peer_review.signed_off"
