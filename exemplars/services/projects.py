"""The project itself, its scoping report and its recommendations (seed 003, "Cardiology
pathway as an 'exemplar' project" and "Next steps")."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from commissioning.concurrency import attribute_to, create_recorded, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import RuleError, StateConflict
from governance.uploads import validate_upload
from hubs.models import IntegratedCareSystem
from oversight.models import OversightGroup

from .. import events
from ..models import Exemplar, Milestone, Participant, Recommendation, ReportVersion
from .common import lock_open, not_before_start, required

PROJECT_FIELDS = ["title", "pathway", "scope", "start_date", "board"]
Status = Exemplar.Status
Decision = Recommendation.Decision


def _check_project(
    system: IntegratedCareSystem,
    board: OversightGroup | None,
    start_date: datetime.date,
) -> None:
    """The system is open on the project's start date; a board overseeing it is a strategy
    board of the same system (issue 16: "optionally overseen by a strategy board")."""
    if not system.is_valid_on(start_date):
        raise RuleError(
            f"{system.name} was not open on {nhs_date(start_date)}.", field="start_date"
        )
    if board is not None and (not board.is_board or board.system_id != system.pk):
        raise RuleError(
            f"Choose a specialised commissioning strategy board of {system.name}.", field="board"
        )


@transaction.atomic
def exemplar_create(
    *,
    by,
    system: IntegratedCareSystem,
    title: str,
    pathway: str,
    start_date: datetime.date,
    scope: str = "",
    board: OversightGroup | None = None,
) -> Exemplar:
    """Start an exemplar pathway project of a system (seed 003: "initially taking the
    cardiology pathway as a 'proof of principle' approach"). It starts in scoping."""
    title = required(title, "title", "Enter the project's title")
    pathway = required(pathway, "pathway", "Enter the care pathway, for example Cardiology")
    _check_project(system, board, start_date)
    exemplar = create_recorded(
        Exemplar,
        by=by,
        system=system,
        board=board,
        title=title,
        pathway=pathway,
        scope=scope.strip(),
        start_date=start_date,
        created_by=by,
    )
    events.record(by, events.CREATED, exemplar, system=system.pk)
    return exemplar


@transaction.atomic
def exemplar_update(*, by, exemplar: Exemplar, version: int, **changes) -> Exemplar:
    """Change the project's details (naming the version they were read at)."""
    current = lock_version(Exemplar, exemplar.pk, version, PROJECT_FIELDS)
    if current.is_closed:
        raise StateConflict("The project is closed: its details are kept as they were.")
    merged = {f: changes.get(f, getattr(current, f)) for f in PROJECT_FIELDS}
    merged["title"] = required(merged["title"], "title", "Enter the project's title")
    merged["pathway"] = required(merged["pathway"], "pathway", "Enter the care pathway")
    merged["scope"] = (merged["scope"] or "").strip()
    _check_project(current.system, merged["board"], merged["start_date"])
    earliest = _earliest_activity(current)
    if earliest is not None and merged["start_date"] > earliest:
        raise RuleError(
            f"Something on the project is dated {nhs_date(earliest)}: the project cannot start"
            " after it.",
            field="start_date",
        )
    changed = [f for f in PROJECT_FIELDS if getattr(current, f) != merged[f]]
    for name in changed:
        setattr(current, name, merged[name])
    save_versioned(current, by=by, fields=changed)
    events.record(by, events.UPDATED, current, fields=changed)
    return current


def _earliest_activity(exemplar: Exemplar) -> datetime.date | None:
    """The earliest date recorded on the project's parts (joined, done, recommended)."""
    days = [
        Participant.objects.filter(exemplar=exemplar)
        .order_by("joined_on")
        .values_list("joined_on", flat=True)
        .first(),
        Milestone.objects.filter(exemplar=exemplar, done_on__isnull=False)
        .order_by("done_on")
        .values_list("done_on", flat=True)
        .first(),
        Recommendation.objects.filter(exemplar=exemplar)
        .order_by("made_on")
        .values_list("made_on", flat=True)
        .first(),
    ]
    found = [d for d in days if d is not None]
    return min(found) if found else None


@transaction.atomic
def exemplar_mark_scoped(*, by, exemplar: Exemplar, version: int) -> Exemplar:
    """Scoping is complete: there is a scoping report (at least one version)."""
    current = lock_version(Exemplar, exemplar.pk, version, ["status"])
    if current.status != Status.SCOPING:
        raise StateConflict(f"The project is {current.get_status_display().lower()}, not scoping.")
    if not current.report_versions.exists():
        raise RuleError("Add the scoping report before marking scoping complete.")
    current.status = Status.SCOPED
    save_versioned(current, by=by, fields=["status"])
    events.record(by, events.SCOPED, current)
    return current


@transaction.atomic
def exemplar_close(
    *, by, exemplar: Exemplar, version: int, closed_on: datetime.date, reason: str
) -> Exemplar:
    """Close the project: kept as a record, with the date and why; never deleted."""
    current = lock_version(Exemplar, exemplar.pk, version, ["status", "closed_on"])
    if current.is_closed:
        raise StateConflict(f"The project was closed on {nhs_date(current.closed_on)} already.")
    reason = required(reason, "reason", "Say why the project is closing")
    not_before_start(current, closed_on, "closed_on", "The closing date")
    current.status, current.closed_on, current.closed_reason = Status.CLOSED, closed_on, reason
    save_versioned(current, by=by, fields=["status", "closed_on", "closed_reason"])
    events.record(by, events.CLOSED, current, closed_on=closed_on.isoformat())
    return current


@transaction.atomic
def report_version_add(
    *, by, exemplar: Exemplar, change_summary: str, file=None, text: str = ""
) -> ReportVersion:
    """Add the next version of the scoping report (seed 003: "a scoping report to come back
    to the Joint CCG committee"): an upload (PDF or Word, judged by its content), text, or
    both, with what changed. Earlier versions stay as they were."""
    current = lock_open(exemplar)
    text = (text or "").strip()
    if file is None and not text:
        raise RuleError("Upload the report (PDF or Word) or enter its text.", field="file")
    change_summary = required(
        change_summary,
        "change_summary",
        "Say what this version changes (for the first: 'First version')",
    )
    stored_name = content_type = ""
    if file is not None:
        if not file.size:
            raise RuleError("The file is empty: choose the report's file again.", field="file")
        try:
            content_type, stored_name = validate_upload(file)
        except ValidationError as invalid:
            raise RuleError(invalid.messages[0], field="file") from invalid
    number = (current.report_versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion(
        exemplar=current,
        number=number,
        text=text,
        change_summary=change_summary[:500],
        uploaded_by=by,
    )
    if file is not None:
        version.original_filename = file.name[:255]
        version.content_type = content_type
        version.size = file.size
        version.file.save(stored_name, file, save=False)
    attribute_to(version, by)
    version.save()
    events.record(by, events.REPORT_VERSION_ADDED, version, number=number)
    return version


@transaction.atomic
def recommendation_make(
    *, by, exemplar: Exemplar, to: str, text: str, made_on: datetime.date
) -> Recommendation:
    """The project recommends to the Joint CCG Committee and/or the RLG, from its scoping
    report (seed 003, "Next steps"). One recommendation awaits a decision at a time."""
    current = lock_open(exemplar)
    text = required(text, "text", "Enter the recommendation")
    if to not in Recommendation.To.values:
        raise RuleError("Choose who the recommendation is made to.", field="to")
    not_before_start(current, made_on, "made_on", "The recommendation")
    if not current.report_versions.exists():
        raise RuleError("Add the scoping report first: the recommendation comes from it.")
    waiting = current.recommendations.filter(
        decision__in=[Decision.AWAITING, Decision.DEFERRED]
    ).first()
    if waiting is not None:
        raise RuleError(
            f"The recommendation of {nhs_date(waiting.made_on)} is still to be decided: record"
            " its decision first."
        )
    recommendation = create_recorded(
        Recommendation, by=by, exemplar=current, to=to, text=text, made_on=made_on, created_by=by
    )
    current.status = Status.RECOMMENDED
    save_versioned(current, by=by, fields=["status"])
    events.record(by, events.RECOMMENDATION_MADE, recommendation, to=to)
    return recommendation


@transaction.atomic
def decision_record(
    *,
    by,
    recommendation: Recommendation,
    version: int,
    decision: str,
    decided_on: datetime.date,
    note: str = "",
) -> Recommendation:
    """The decision taken on a recommendation: agreed or not agreed (final), or deferred (to be
    decided later). An agreed or not agreed decision moves the project to "decided"."""
    lock_open(recommendation.exemplar)
    current = lock_version(
        Recommendation, recommendation.pk, version, ["decision", "decided_on", "decision_note"]
    )
    if not current.is_open:
        raise StateConflict(
            f"It was {current.get_decision_display().lower()} on {nhs_date(current.decided_on)}"
            " already."
        )
    if decision not in (Decision.AGREED, Decision.NOT_AGREED, Decision.DEFERRED):
        raise RuleError("Choose the decision: agreed, not agreed or deferred.", field="decision")
    if decided_on < current.made_on:
        raise RuleError(
            f"The decision cannot be before the recommendation ({nhs_date(current.made_on)}).",
            field="decided_on",
        )
    note = (note or "").strip()
    if decision != Decision.AGREED and not note:
        raise RuleError("Say why it was not agreed or deferred.", field="note")
    current.decision, current.decided_on, current.decision_note = decision, decided_on, note
    save_versioned(current, by=by, fields=["decision", "decided_on", "decision_note"])
    if decision != Decision.DEFERRED:
        exemplar = Exemplar.objects.get(pk=current.exemplar_id)
        exemplar.status = Status.DECIDED
        save_versioned(exemplar, by=by, fields=["status"])
    events.record(by, events.DECISION_RECORDED, current, decision=decision)
    return current
