"""Changes to the integrated care systems in the register (issue 16, "What to build" 1): each
named, atomic, audited, versioned where it can be edited; nothing is deleted (a place or a
commissioner's membership ends on a date).

Every date in its own time: a commissioner joins a system only from a day it is open, and its
place must be open then too; one commissioner is in a system once at a time."""

import datetime

from django.db import transaction

from commissioning import audit
from commissioning.concurrency import attribute_to, create_recorded, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import RuleError
from hubs.models import CCG, Hub, IntegratedCareSystem, Place, SystemMember

EVENT = "places."
SYSTEM_FIELDS = ["name", "short_name", "kind", "hub", "valid_from", "valid_to"]
PLACE_FIELDS = ["name", "valid_from", "valid_to"]


def _check_dates(valid_from: datetime.date, valid_to: datetime.date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise RuleError("The end date must be on or after the start date.", field="valid_to")


def _record(by, verb: str, target, **data) -> None:
    audit.record(actor=by, verb=EVENT + verb, target=target, **data)


@transaction.atomic
def system_create(
    *,
    by,
    name: str,
    short_name: str,
    kind: str,
    hub: Hub,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> IntegratedCareSystem:
    name = name.strip()
    _check_dates(valid_from, valid_to)
    if IntegratedCareSystem.objects.filter(name__iexact=name).exists():
        raise RuleError(f"There is a system called {name} already.", field="name")
    system = create_recorded(
        IntegratedCareSystem,
        by=by,
        name=name,
        short_name=short_name.strip(),
        kind=kind,
        hub=hub,
        valid_from=valid_from,
        valid_to=valid_to,
        source="Entered by a national admin",
    )
    _record(by, "system.created", system)
    return system


@transaction.atomic
def system_update(
    *, by, system: IntegratedCareSystem, version: int, **changes
) -> IntegratedCareSystem:
    current = lock_version(IntegratedCareSystem, system.pk, version, SYSTEM_FIELDS)
    merged = {f: changes.get(f, getattr(current, f)) for f in SYSTEM_FIELDS}
    merged["name"] = merged["name"].strip()
    _check_dates(merged["valid_from"], merged["valid_to"])
    clash = IntegratedCareSystem.objects.filter(name__iexact=merged["name"]).exclude(pk=current.pk)
    if clash.exists():
        raise RuleError(f"There is a system called {merged['name']} already.", field="name")
    outside = current.members.filter(valid_from__lt=merged["valid_from"])
    if outside.exists():
        raise RuleError(
            "A commissioner is in the system before that date: end or move it first.",
            field="valid_from",
        )
    if current.places.filter(valid_from__lt=merged["valid_from"]).exists():
        raise RuleError(
            "A place of the system starts before that date: a place cannot start before its"
            " system.",
            field="valid_from",
        )
    changed = [f for f in SYSTEM_FIELDS if getattr(current, f) != merged[f]]
    for name in changed:
        setattr(current, name, merged[name])
    save_versioned(current, by=by, fields=changed)
    _record(by, "system.updated", current, fields=changed)
    return current


@transaction.atomic
def place_add(
    *,
    by,
    system: IntegratedCareSystem,
    name: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> Place:
    name = name.strip()
    _check_dates(valid_from, valid_to)
    if valid_from < system.valid_from:
        raise RuleError(
            f"The place cannot start before the system ({nhs_date(system.valid_from)}).",
            field="valid_from",
        )
    if system.places.filter(name__iexact=name).exists():
        raise RuleError(f"{system.name} has a place called {name} already.", field="name")
    place = create_recorded(
        Place, by=by, system=system, name=name, valid_from=valid_from, valid_to=valid_to
    )
    _record(by, "place.added", place)
    return place


@transaction.atomic
def member_add(
    *,
    by,
    system: IntegratedCareSystem,
    commissioner: CCG,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    place: Place | None = None,
) -> SystemMember:
    """A commissioner joins the system (in a place, where it has one) from a date."""
    _check_dates(valid_from, valid_to)
    if not system.is_valid_on(valid_from):
        raise RuleError(
            f"{system.name} did not exist on {nhs_date(valid_from)}.", field="valid_from"
        )
    if not commissioner.is_valid_on(valid_from):
        raise RuleError(
            f"{commissioner.name} was not open on {nhs_date(valid_from)}.", field="commissioner"
        )
    if commissioner.valid_to is not None and (valid_to is None or valid_to > commissioner.valid_to):
        raise RuleError(
            f"{commissioner.name} closed on {nhs_date(commissioner.valid_to)}: end its place in"
            " the system by then.",
            field="valid_to",
        )
    if place is not None:
        if place.system_id != system.pk:
            raise RuleError("Choose a place of this system.", field="place")
        if not place.is_valid_on(valid_from):
            raise RuleError(
                f"The {place.name} place did not exist on {nhs_date(valid_from)}.", field="place"
            )
    _check_no_overlap(system, commissioner, valid_from, valid_to)
    member = create_recorded(
        SystemMember,
        by=by,
        system=system,
        commissioner=commissioner,
        place=place,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    _record(by, "member.added", member, commissioner=commissioner.ods_code)
    return member


def _check_no_overlap(system, commissioner, start, end, exclude=None) -> None:
    rows = SystemMember.objects.select_for_update().filter(system=system, commissioner=commissioner)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    for other in rows:
        other_end = other.valid_to or datetime.date.max
        if start <= other_end and (end or datetime.date.max) >= other.valid_from:
            raise RuleError(
                f"{commissioner.name} is in {system.name} already from"
                f" {nhs_date(other.valid_from)}.",
                field="valid_from",
            )


@transaction.atomic
def member_end(*, by, member: SystemMember, valid_to: datetime.date) -> SystemMember:
    """The commissioner leaves the system (the row is kept, ended)."""
    current = SystemMember.objects.select_for_update().get(pk=member.pk)
    _check_dates(current.valid_from, valid_to)
    if current.valid_to is not None:
        raise RuleError(f"It left on {nhs_date(current.valid_to)} already.", field="valid_to")
    current.valid_to = valid_to
    attribute_to(current, by)
    current.save(update_fields=["valid_to"])
    _record(by, "member.ended", current, valid_to=valid_to.isoformat())
    return current
