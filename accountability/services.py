"""Changes to a group's RACI matrix: seeded from the default, edited as a whole grid (locked by
the matrix's version), rows and columns archived rather than deleted."""

from django.db import transaction
from django.db.models import Max

from commissioning import audit
from commissioning.concurrency import attribute_to, create_recorded, lock_version, save_versioned
from commissioning.errors import RuleError
from hubs.models import commissioner_label
from oversight.models import OversightGroup

from . import events, template
from .models import RaciActivity, RaciCell, RaciMatrix, RaciParty


class RaciError(RuleError):
    """A change to this app's records that breaks a rule (see RuleError)."""


def _bump(matrix: RaciMatrix, by) -> None:
    """A row or column changed: the matrix moves on a version (open grids become stale)."""
    save_versioned(matrix, by=by, fields=[])


def raci_matrix_ensure(*, group: OversightGroup) -> RaciMatrix:
    """The group's matrix, made empty if it has none yet."""
    matrix, _ = RaciMatrix.objects.get_or_create(group=group)
    return matrix


@transaction.atomic
def raci_seed_default(*, by, group: OversightGroup) -> RaciMatrix:
    """Give the group the default matrix. Does nothing if it already has one."""
    matrix, created = RaciMatrix.objects.get_or_create(group=group)
    if not created and matrix.activities.exists():
        return matrix
    # The local commissioners' party is named for the group's own date: "CCGs" or "ICBs"
    # (issue 13). A group's existing matrix keeps the names it has.
    local = commissioner_label(group.footprint_day, plural=True)
    parties = [
        RaciParty.objects.create(matrix=matrix, name=local if name == "CCGs" else name, order=i)
        for i, name in enumerate(template.PARTIES)
    ]
    for i, (stage, name, letters) in enumerate(template.ACTIVITIES):
        activity = RaciActivity.objects.create(matrix=matrix, stage=stage, name=name, order=i)
        RaciCell.objects.bulk_create(
            RaciCell(activity=activity, party=p, value="" if letter == "-" else letter)
            for p, letter in zip(parties, letters, strict=True)
        )
    audit.record(actor=by, verb=events.RACI_SEEDED, target=matrix)
    return matrix


@transaction.atomic
def raci_save(*, by, matrix: RaciMatrix, version: int, values: dict[tuple[int, int], str]):
    """Save the whole grid ({(activity id, party id): letter}). Refused if someone else saved
    since `version`, or if an activity would have more than one Accountable party."""
    current = lock_version(RaciMatrix, matrix.pk, version, [])
    activities = {a.pk: a for a in current.activities.filter(archived=False)}
    parties = {p.pk: p for p in current.parties.filter(archived=False)}
    for activity_id, activity in activities.items():
        accountable = [p for p in parties if values.get((activity_id, p)) == "A"]
        if len(accountable) > 1:
            names = ", ".join(parties[p].name for p in accountable)
            raise RaciError(
                f"“{activity.name}” has more than one Accountable party ({names}). "
                "Exactly one party should be accountable for each activity."
            )
    existing = {
        (c.activity_id, c.party_id): c
        for c in RaciCell.objects.filter(activity__in=activities, party__in=parties)
    }
    changed = 0
    for activity_id in activities:
        for party_id in parties:
            value = values.get((activity_id, party_id), "")
            cell = existing.get((activity_id, party_id))
            if cell is None and value:
                create_recorded(
                    RaciCell, by=by, activity_id=activity_id, party_id=party_id, value=value
                )
                changed += 1
            elif cell is not None and cell.value != value:
                cell.value = value
                attribute_to(cell, by)
                cell.save(update_fields=["value"])
                changed += 1
    _bump(current, by)
    audit.record(actor=by, verb=events.RACI_SAVED, target=current, cells_changed=changed)
    return current


@transaction.atomic
def raci_activity_add(*, by, matrix: RaciMatrix, stage: str, name: str) -> RaciActivity:
    order = (matrix.activities.aggregate(n=Max("order"))["n"] or 0) + 1
    activity = create_recorded(
        RaciActivity, by=by, matrix=matrix, stage=stage, name=name, order=order
    )
    _bump(RaciMatrix.objects.select_for_update().get(pk=matrix.pk), by)
    audit.record(actor=by, verb=events.RACI_ACTIVITY_ADDED, target=activity)
    return activity


@transaction.atomic
def raci_party_add(*, by, matrix: RaciMatrix, name: str) -> RaciParty:
    if matrix.parties.filter(archived=False, name__iexact=name.strip()).exists():
        raise RaciError(f"The matrix already has a party called {name}.", field="name")
    order = (matrix.parties.aggregate(n=Max("order"))["n"] or 0) + 1
    party = create_recorded(RaciParty, by=by, matrix=matrix, name=name.strip(), order=order)
    _bump(RaciMatrix.objects.select_for_update().get(pk=matrix.pk), by)
    audit.record(actor=by, verb=events.RACI_PARTY_ADDED, target=party)
    return party


@transaction.atomic
def raci_archive(*, by, row: RaciActivity | RaciParty) -> None:
    """Take an activity or party out of the grid; it stays on record."""
    row.archived = True
    attribute_to(row, by)
    row.save(update_fields=["archived"])
    _bump(RaciMatrix.objects.select_for_update().get(pk=row.matrix_id), by)
    audit.record(actor=by, verb=events.RACI_ARCHIVED, target=row)
