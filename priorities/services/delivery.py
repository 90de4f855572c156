"""Delivery monitoring of included priorities: lead and target, milestones, RAG updates."""

import datetime
from decimal import Decimal

from django.db import transaction

from commissioning import audit
from commissioning.concurrency import create_recorded, lock_version, save_versioned
from commissioning.dates import nhs_date

from .. import events
from ..errors import PlanError
from ..models import Delivery, DeliveryUpdate, Milestone, PrioritiesPlan, Proposal
from .proposals import MONEY_LIMIT


def _financial_year(plan: PrioritiesPlan) -> tuple[datetime.date, datetime.date]:
    return datetime.date(plan.year, 4, 1), datetime.date(plan.year + 1, 3, 31)


def _included(proposal: Proposal) -> None:
    if proposal.status != Proposal.Status.INCLUDED:
        raise PlanError("Only priorities included in the plan are delivered and monitored.")


def _money(value: Decimal, field: str, label: str) -> None:
    if value < 0:
        raise PlanError(f"{label} cannot be negative.", field=field)
    if value > MONEY_LIMIT:
        raise PlanError(f"{label} of more than £1bn looks like a typing slip.", field=field)


@transaction.atomic
def delivery_set(*, by, proposal: Proposal, version: int | None = None, **fields) -> Delivery:
    """Set the priority's lead, sub-group, KPIs and QIPP target (version-locked once set)."""
    _included(proposal)
    _money(fields.get("qipp_target") or Decimal(0), "qipp_target", "The QIPP target")
    subgroup = fields.get("subgroup")
    if subgroup is not None and subgroup.group_id != proposal.plan.group_id:
        raise PlanError("Choose one of the group's delivery sub-groups.", field="subgroup")
    delivery = Delivery.objects.filter(proposal=proposal).first()
    names = ["lead", "subgroup", "kpis", "qipp_target"]
    if delivery is None:
        delivery = create_recorded(Delivery, by=by, proposal=proposal, **fields)
    else:
        delivery = lock_version(Delivery, delivery.pk, version or 0, names)
        for name in names:
            setattr(delivery, name, fields[name])
        save_versioned(delivery, by=by, fields=names)
    audit.record(actor=by, verb=events.DELIVERY_SET, target=proposal)
    return delivery


@transaction.atomic
def milestone_add(*, by, proposal: Proposal, title: str, due_date: datetime.date) -> Milestone:
    _included(proposal)
    start, end = _financial_year(proposal.plan)
    if not start <= due_date <= end:
        raise PlanError(
            f"The due date must fall in {proposal.plan.year_label} "
            f"({nhs_date(start)} to {nhs_date(end)}).",
            field="due_date",
        )
    milestone = create_recorded(Milestone, by=by, proposal=proposal, title=title, due_date=due_date)
    audit.record(actor=by, verb=events.MILESTONE_ADDED, target=milestone)
    return milestone


@transaction.atomic
def milestone_set_status(*, by, milestone: Milestone, version: int, status: str) -> Milestone:
    current = lock_version(Milestone, milestone.pk, version, ["status"])
    if status not in Milestone.Status.values:
        raise PlanError("Choose a status.", field="status")
    current.status = status
    save_versioned(current, by=by, fields=["status"])
    audit.record(actor=by, verb=events.MILESTONE_UPDATED, target=current, status=status)
    return current


@transaction.atomic
def update_add(
    *,
    by,
    proposal: Proposal,
    rag: str,
    commentary: str,
    qipp_realised: Decimal,
    reported_on: datetime.date,
) -> DeliveryUpdate:
    _included(proposal)
    _money(qipp_realised, "qipp_realised", "QIPP realised")
    if not commentary.strip():
        raise PlanError("Write the commentary.", field="commentary")
    start, end = _financial_year(proposal.plan)
    if not start <= reported_on <= end + datetime.timedelta(days=92):
        raise PlanError(
            f"Report on a date in {proposal.plan.year_label} (or its first quarter after).",
            field="reported_on",
        )
    update = DeliveryUpdate.objects.create(
        proposal=proposal,
        rag=rag,
        commentary=commentary.strip(),
        qipp_realised=qipp_realised,
        reported_on=reported_on,
        author=by,
    )
    audit.record(actor=by, verb=events.DELIVERY_UPDATED, target=proposal, rag=rag)
    return update
