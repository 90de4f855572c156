"""Co-commissioning's changes: applications and arrangements (applications.py), windows and
registers of interests (register.py). Views, API, tasks and demo import them from here."""

from commissioning.errors import NotAllowed, RuleError, StateConflict

from .applications import (
    application_approve,
    application_create,
    application_recommend,
    application_refuse,
    application_submit,
    application_update,
    application_withdraw,
    applications_go_live,
    changes_request,
    check_functions,
    conflicts_review_save,
    document_attach,
    greater_involvement_record,
    late_agree,
    message_add,
    missing_documents,
    party_confirm,
    review_start,
    window_for,
)
from .committee import agenda_meetings, agenda_place, application_decide
from .register import interest_declare, interest_update, window_add

__all__ = [
    "NotAllowed",
    "RuleError",
    "StateConflict",
    "agenda_meetings",
    "agenda_place",
    "application_approve",
    "application_create",
    "application_decide",
    "application_recommend",
    "application_refuse",
    "application_submit",
    "application_update",
    "application_withdraw",
    "applications_go_live",
    "changes_request",
    "check_functions",
    "conflicts_review_save",
    "document_attach",
    "greater_involvement_record",
    "interest_declare",
    "interest_update",
    "late_agree",
    "message_add",
    "missing_documents",
    "party_confirm",
    "review_start",
    "window_add",
    "window_for",
]
