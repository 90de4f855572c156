"""Changes to committees (issue 15; seed 002): NHS England's Commissioning Committee and the
primary care joint committees of CCGs and NHS England. Their members are kept by
`services.member_add` / `member_update`, as a group's are; their meetings by `meetings`."""

import datetime

from django.db import transaction

from commissioning import audit
from commissioning.concurrency import create_recorded, lock_version, save_versioned
from hubs.models import CCG, Region

from . import events
from .models import Committee
from .services import GroupError

QUORUM_FIELDS = [
    "quorum_chair_or_vice_required",
    "quorum_min_voting_members",
    "quorum_min_ccg_members",
]
COMMITTEE_FIELDS = ["name", "purpose", *QUORUM_FIELDS]


def _check_quorum(fields: dict) -> None:
    if fields.get("quorum_min_voting_members", 1) < 1:
        raise GroupError(
            "At least one voting member must be present for a quorum.",
            field="quorum_min_voting_members",
        )
    if fields.get("quorum_min_ccg_members", 0) > fields.get("quorum_min_voting_members", 1):
        raise GroupError(
            "The CCG members needed cannot be more than the voting members needed.",
            field="quorum_min_ccg_members",
        )


@transaction.atomic
def commissioning_committee_ensure(*, by, start_date: datetime.date) -> Committee:
    """NHS England's Commissioning Committee: there is one open at a time (seed 002, "Model 3:
    Delegated arrangements": it signs off delegated arrangements). Made the first time it is
    needed."""
    open_one = Committee.objects.filter(
        kind=Committee.Kind.COMMISSIONING_COMMITTEE, status=Committee.Status.ACTIVE
    ).first()
    if open_one is not None:
        return open_one
    committee = create_recorded(
        Committee,
        by=by,
        kind=Committee.Kind.COMMISSIONING_COMMITTEE,
        name="NHS England Commissioning Committee",
        start_date=start_date,
        purpose="Signs off CCGs' proposals for delegated commissioning of primary care.",
    )
    audit.record(actor=by, verb=events.COMMITTEE_CREATED, target=committee)
    return committee


@transaction.atomic
def joint_committee_create(
    *, by, region: Region, ccgs: list[CCG], start_date: datetime.date, name: str = ""
) -> Committee:
    """A primary care joint committee of the CCGs and NHS England (seed 002, "Model 2: Joint
    commissioning"), run with the region whose office agreed it."""
    if not ccgs:
        raise GroupError("A joint committee needs at least one CCG.", field="ccgs")
    names = " and ".join(c.name for c in sorted(ccgs, key=lambda c: c.name))
    committee = create_recorded(
        Committee,
        by=by,
        kind=Committee.Kind.JOINT_COMMITTEE,
        name=(name or f"Primary care joint committee: {names} and NHS England")[:200],
        region=region,
        start_date=start_date,
        quorum_min_voting_members=2,
        quorum_min_ccg_members=1,
        purpose="Jointly commissions primary medical services (seed 002, Model 2).",
    )
    committee.ccgs.set(ccgs)
    audit.record(
        actor=by, verb=events.COMMITTEE_CREATED, target=committee, ccgs=[c.pk for c in ccgs]
    )
    return committee


@transaction.atomic
def committee_update(*, by, committee: Committee, version: int, **changes) -> Committee:
    """Change the committee's name, purpose or quorum rule (its terms of reference)."""
    current = lock_version(Committee, committee.pk, version, COMMITTEE_FIELDS)
    merged = {f: changes.get(f, getattr(current, f)) for f in COMMITTEE_FIELDS}
    _check_quorum(merged)
    if not str(merged["name"]).strip():
        raise GroupError("Enter the committee's name.", field="name")
    changed = [f for f in COMMITTEE_FIELDS if getattr(current, f) != merged[f]]
    for name in changed:
        setattr(current, name, merged[name])
    save_versioned(current, by=by, fields=changed)
    audit.record(actor=by, verb=events.COMMITTEE_UPDATED, target=current, fields=changed)
    return current
