"""The evaluations' audit events: one name per action (issue 17, "What to build" 6)."""

from commissioning import audit

RECORDED = "evaluations.evaluation_recorded"
UPDATED = "evaluations.evaluation_updated"
ARCHIVED = "evaluations.evaluation_archived"
SHARED_TO_LIBRARY = "evaluations.evaluation_shared_to_library"
SHARED_TO_IDEAS = "evaluations.evaluation_shared_to_ideas"


def record(by, verb: str, target, **data) -> None:
    audit.record(actor=by, verb=verb, target=target, **data)


audit.label_verbs(
    {
        RECORDED: "Evaluation recorded",
        UPDATED: "Evaluation changed",
        ARCHIVED: "Evaluation archived",
        SHARED_TO_LIBRARY: "Evaluation shared to the learning library",
        SHARED_TO_IDEAS: "Evaluation shared to the idea exchange",
    }
)
