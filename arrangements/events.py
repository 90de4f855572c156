"""The formal arrangements' audit events: one name per governance action."""

from commissioning import audit

CREATED = "arrangements.created"
UPDATED = "arrangements.updated"
STATUS_CHANGED = "arrangements.status_changed"
CONTRIBUTION_ADDED = "arrangements.contribution_added"
CONTRIBUTION_CHANGED = "arrangements.contribution_changed"
AGREEMENT_UPLOADED = "arrangements.agreement_uploaded"
REVIEW_REMINDER_OWED = "arrangements.review_reminder_owed"


def record(by, verb: str, target, **data) -> None:
    audit.record(actor=by, verb=verb, target=target, **data)


audit.label_verbs(
    {
        CREATED: "Arrangement recorded",
        UPDATED: "Arrangement changed",
        STATUS_CHANGED: "Arrangement status changed",
        CONTRIBUTION_ADDED: "Contribution added",
        CONTRIBUTION_CHANGED: "Contribution changed",
        AGREEMENT_UPLOADED: "Agreement uploaded",
        REVIEW_REMINDER_OWED: "Review reminder sent",
    }
)
