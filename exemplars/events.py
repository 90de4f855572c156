"""The audit events of exemplar projects: one function per change, each recording it with
`commissioning.audit.record` (the stored verbs are written out whole here)."""

from commissioning import audit

CREATED = "exemplar.created"
UPDATED = "exemplar.updated"
SCOPED = "exemplar.scoped"
CLOSED = "exemplar.closed"
SERVICE_ADDED = "exemplar.service_added"
SERVICE_UPDATED = "exemplar.service_updated"
PARTICIPANT_ADDED = "exemplar.participant_added"
PARTICIPANT_UPDATED = "exemplar.participant_updated"
MILESTONE_ADDED = "exemplar.milestone_added"
MILESTONE_UPDATED = "exemplar.milestone_updated"
REPORT_VERSION_ADDED = "exemplar.report_version_added"
RECOMMENDATION_MADE = "exemplar.recommendation_made"
DECISION_RECORDED = "exemplar.decision_recorded"

LABELS = {
    CREATED: "Project started",
    UPDATED: "Project details changed",
    SCOPED: "Scoping marked complete",
    CLOSED: "Project closed",
    SERVICE_ADDED: "Service added to the pathway",
    SERVICE_UPDATED: "Service on the pathway changed",
    PARTICIPANT_ADDED: "Participant added",
    PARTICIPANT_UPDATED: "Participant changed",
    MILESTONE_ADDED: "Milestone added",
    MILESTONE_UPDATED: "Milestone changed",
    REPORT_VERSION_ADDED: "Scoping report version added",
    RECOMMENDATION_MADE: "Recommendation made",
    DECISION_RECORDED: "Decision recorded",
}


def record(by, verb: str, target, **data) -> None:
    """Record `verb` (one of the constants above) done by `by` to `target`."""
    audit.record(actor=by, verb=verb, target=target, **data)


audit.label_verbs(LABELS)
