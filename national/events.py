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


def record(by, verb: str, target, **data) -> None:
    audit.record(actor=by, verb=verb, target=target, **data)
