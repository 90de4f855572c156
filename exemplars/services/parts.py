"""The parts of a project: the services on its pathway, its participants, its milestones.
Each is added and changed (versioned), never deleted: a service is removed from the pathway,
a participant leaves on a date."""

import datetime

from django.db import transaction

from commissioning.concurrency import create_recorded, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import RuleError
from hubs.models import CCG, ProgrammeOfCare
from hubs.selectors import in_system_on

from .. import events
from ..models import Exemplar, Milestone, Participant, PathwayService
from .common import lock_open, not_before_start, required

SERVICE_FIELDS = ["name", "specialised", "programme", "note", "removed"]
PARTICIPANT_FIELDS = ["name", "organisation", "role", "commissioner", "joined_on", "left_on"]
MILESTONE_FIELDS = ["title", "due_on", "done_on", "note"]


def _apply(current, fields: list[str], merged: dict) -> list[str]:
    changed = [f for f in fields if getattr(current, f) != merged[f]]
    for name in changed:
        setattr(current, name, merged[name])
    return changed


# --- services on the pathway -------------------------------------------------------------------


def _check_service(exemplar: Exemplar, data: dict, exclude: int | None = None) -> dict:
    """Seed 003: the pathway joins "specialised and non-specialised services"; a specialised
    one is commissioned by NHS England within a Programme of Care, so it names it."""
    data["name"] = required(data["name"], "name", "Enter the service's name")
    data["note"] = (data.get("note") or "").strip()
    programme: ProgrammeOfCare | None = data.get("programme")
    if data["specialised"] and programme is None:
        raise RuleError(
            "Choose the Programme of Care the specialised service is in.", field="programme"
        )
    if not data["specialised"] and programme is not None:
        raise RuleError(
            "Only a specialised service is in a Programme of Care: leave it empty, or mark the"
            " service specialised.",
            field="programme",
        )
    same = PathwayService.objects.filter(
        exemplar=exemplar, name__iexact=data["name"], removed=False
    )
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if not data.get("removed") and same.exists():
        raise RuleError(f"{data['name']} is on the pathway already.", field="name")
    return data


@transaction.atomic
def service_add(
    *,
    by,
    exemplar: Exemplar,
    name: str,
    specialised: bool,
    programme: ProgrammeOfCare | None = None,
    note: str = "",
) -> PathwayService:
    current = lock_open(exemplar)
    data = _check_service(
        current, {"name": name, "specialised": specialised, "programme": programme, "note": note}
    )
    service = create_recorded(PathwayService, by=by, exemplar=current, **data)
    events.record(by, events.SERVICE_ADDED, service, exemplar=current.pk)
    return service


@transaction.atomic
def service_update(*, by, service: PathwayService, version: int, **changes) -> PathwayService:
    exemplar = lock_open(service.exemplar)
    current = lock_version(PathwayService, service.pk, version, SERVICE_FIELDS)
    merged = {f: changes.get(f, getattr(current, f)) for f in SERVICE_FIELDS}
    merged = _check_service(exemplar, merged, exclude=current.pk)
    changed = _apply(current, SERVICE_FIELDS, merged)
    save_versioned(current, by=by, fields=changed)
    events.record(by, events.SERVICE_UPDATED, current, exemplar=exemplar.pk, fields=changed)
    return current


# --- participants ------------------------------------------------------------------------------


def _check_participant(exemplar: Exemplar, data: dict) -> dict:
    """A commissioner's representative speaks for a CCG or ICB that is in the project's system
    on the day they join (seed 003: "CCG representatives to participate in scoping"); that
    day is not before the project started."""
    data["name"] = required(data["name"], "name", "Enter the participant's name")
    data["role"] = required(data["role"], "role", "Enter their role on the project")
    data["organisation"] = (data.get("organisation") or "").strip()
    joined_on: datetime.date = data["joined_on"]
    not_before_start(exemplar, joined_on, "joined_on", "Joining")
    left_on = data.get("left_on")
    if left_on is not None and left_on < joined_on:
        raise RuleError("The leaving date must be on or after the joining date.", field="left_on")
    commissioner: CCG | None = data.get("commissioner")
    if commissioner is not None:
        if not in_system_on(exemplar.system_id, commissioner, joined_on):
            raise RuleError(
                f"{commissioner.name} was not in {exemplar.system.name} on"
                f" {nhs_date(joined_on)}: choose a commissioner of the system on the day they"
                " join.",
                field="commissioner",
            )
        data["organisation"] = data["organisation"] or commissioner.name
    if not data["organisation"]:
        raise RuleError("Enter the organisation they come from.", field="organisation")
    return data


@transaction.atomic
def participant_add(
    *,
    by,
    exemplar: Exemplar,
    name: str,
    role: str,
    joined_on: datetime.date,
    organisation: str = "",
    commissioner: CCG | None = None,
    left_on: datetime.date | None = None,
) -> Participant:
    current = lock_open(exemplar)
    data = _check_participant(
        current,
        {
            "name": name,
            "role": role,
            "organisation": organisation,
            "commissioner": commissioner,
            "joined_on": joined_on,
            "left_on": left_on,
        },
    )
    participant = create_recorded(Participant, by=by, exemplar=current, **data)
    events.record(by, events.PARTICIPANT_ADDED, participant, exemplar=current.pk)
    return participant


@transaction.atomic
def participant_update(*, by, participant: Participant, version: int, **changes) -> Participant:
    exemplar = lock_open(participant.exemplar)
    current = lock_version(Participant, participant.pk, version, PARTICIPANT_FIELDS)
    merged = {f: changes.get(f, getattr(current, f)) for f in PARTICIPANT_FIELDS}
    merged = _check_participant(exemplar, merged)
    changed = _apply(current, PARTICIPANT_FIELDS, merged)
    save_versioned(current, by=by, fields=changed)
    events.record(by, events.PARTICIPANT_UPDATED, current, exemplar=exemplar.pk, fields=changed)
    return current


# --- milestones --------------------------------------------------------------------------------


def _check_milestone(exemplar: Exemplar, data: dict) -> dict:
    """Neither due nor done before the project started."""
    data["title"] = required(data["title"], "title", "Enter the milestone")
    data["note"] = (data.get("note") or "").strip()
    not_before_start(exemplar, data["due_on"], "due_on", "The due date")
    not_before_start(exemplar, data.get("done_on"), "done_on", "The date it was done")
    return data


@transaction.atomic
def milestone_add(
    *,
    by,
    exemplar: Exemplar,
    title: str,
    due_on: datetime.date,
    done_on: datetime.date | None = None,
    note: str = "",
) -> Milestone:
    current = lock_open(exemplar)
    data = _check_milestone(
        current, {"title": title, "due_on": due_on, "done_on": done_on, "note": note}
    )
    milestone = create_recorded(Milestone, by=by, exemplar=current, **data)
    events.record(by, events.MILESTONE_ADDED, milestone, exemplar=current.pk)
    return milestone


@transaction.atomic
def milestone_update(*, by, milestone: Milestone, version: int, **changes) -> Milestone:
    exemplar = lock_open(milestone.exemplar)
    current = lock_version(Milestone, milestone.pk, version, MILESTONE_FIELDS)
    merged = {f: changes.get(f, getattr(current, f)) for f in MILESTONE_FIELDS}
    merged = _check_milestone(exemplar, merged)
    changed = _apply(current, MILESTONE_FIELDS, merged)
    save_versioned(current, by=by, fields=changed)
    events.record(by, events.MILESTONE_UPDATED, current, exemplar=exemplar.pk, fields=changed)
    return current
