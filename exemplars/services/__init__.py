"""Every change to an exemplar project (issue 16, "What to build" 4): named, atomic, audited,
versioned where a row is edited; nothing is deleted. Refusals name the field they belong
beside and change nothing."""

from .parts import (
    milestone_add,
    milestone_update,
    participant_add,
    participant_update,
    service_add,
    service_update,
)
from .projects import (
    PROJECT_FIELDS,
    decision_record,
    exemplar_close,
    exemplar_create,
    exemplar_mark_scoped,
    exemplar_update,
    recommendation_make,
    report_version_add,
)

__all__ = [
    "PROJECT_FIELDS",
    "decision_record",
    "exemplar_close",
    "exemplar_create",
    "exemplar_mark_scoped",
    "exemplar_update",
    "milestone_add",
    "milestone_update",
    "participant_add",
    "participant_update",
    "recommendation_make",
    "report_version_add",
    "service_add",
    "service_update",
]
