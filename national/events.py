"""The national structures' audit events: one name per governance action."""

from commissioning import audit

HOLDING_ADDED = "national.board_holding_added"
HOLDING_CHANGED = "national.board_holding_changed"
CRG_CREATED = "national.crg_created"
CRG_CHANGED = "national.crg_changed"
SEAT_ADDED = "national.seat_added"
DOCUMENT_ADDED = "national.document_added"
DOCUMENT_CHANGED = "national.document_changed"
DOCUMENT_VERSION_UPLOADED = "national.document_version_uploaded"
NOMINATED = "national.nominated"
NOMINATION_ACCEPTED = "national.nomination_accepted"
NOMINATION_DECLINED = "national.nomination_declined"
TERM_REMINDER_OWED = "national.term_reminder_owed"
SERVICE_REVIEW_ADDED = "national.service_review_added"
SERVICE_REVIEW_CHANGED = "national.service_review_changed"


def record(by, verb: str, target, **data) -> None:
    audit.record(actor=by, verb=verb, target=target, **data)


# Consultations (issue 17, "What to build" 3).
CONSULTATION_OPENED = "national.consultation_opened"
CONSULTATION_CHANGED = "national.consultation_changed"
CONSULTATION_CLOSED = "national.consultation_closed_early"
CONSULTATION_EXTENDED = "national.consultation_extended"
CONSULTATION_ARCHIVED = "national.consultation_archived"
CONSULTATION_RESPONDED = "national.consultation_responded"
CONSULTATION_RESPONSE_CHANGED = "national.consultation_response_changed"
CONSULTATION_REMINDER_OWED = "national.consultation_reminder_owed"


audit.label_verbs(
    {
        HOLDING_ADDED: "Board leadership seat filled",
        HOLDING_CHANGED: "Board leadership seat changed",
        CRG_CREATED: "Clinical Reference Group added",
        CRG_CHANGED: "Clinical Reference Group changed",
        SEAT_ADDED: "Regional seat added",
        DOCUMENT_ADDED: "Document added",
        DOCUMENT_CHANGED: "Document changed",
        DOCUMENT_VERSION_UPLOADED: "Document version uploaded",
        NOMINATED: "Clinician nominated to a CRG seat",
        NOMINATION_ACCEPTED: "Nomination accepted",
        NOMINATION_DECLINED: "Nomination declined",
        TERM_REMINDER_OWED: "End-of-term reminder sent",
        SERVICE_REVIEW_ADDED: "National service review recorded",
        SERVICE_REVIEW_CHANGED: "National service review changed",
        CONSULTATION_OPENED: "Consultation opened",
        CONSULTATION_CHANGED: "Consultation changed",
        CONSULTATION_CLOSED: "Consultation closed early",
        CONSULTATION_EXTENDED: "Consultation extended",
        CONSULTATION_ARCHIVED: "Consultation archived",
        CONSULTATION_RESPONDED: "Consultation answered",
        CONSULTATION_RESPONSE_CHANGED: "Consultation answer changed",
        CONSULTATION_REMINDER_OWED: "Consultation closing reminder sent",
    }
)
