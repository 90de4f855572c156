"""Helpers for the joint programme of work tests (issue 17 part 4): CRGs, national reviews and
included priorities of a plan."""

import datetime

from commissioning.models import AuditEvent
from hubs.models import ProgrammeOfCare
from national import service_reviews
from national import services as national
from national.models import ServiceReview
from priorities.models import OverlapDecision, Proposal

from .helpers import propose


def programme(name: str = "Internal Medicine") -> ProgrammeOfCare:
    return ProgrammeOfCare.objects.get(name=name)


def make_crg(by, name: str = "Cardiac Services", poc: str = "Internal Medicine"):
    return national.crg_create(by=by, name=name, programme=programme(poc))


def make_review(by, title: str = "Congenital heart disease services", **changes) -> ServiceReview:
    data = {
        "year": 2015,
        "title": title,
        "programme": programme(),
        "crg": None,
        "scope": "National standards for congenital heart disease services.",
        "lead": "National CHD team",
        "start_date": datetime.date(2015, 4, 1),
        "end_date": datetime.date(2016, 3, 31),
        "status": "in_progress",
    }
    data.update(changes)
    return service_reviews.service_review_add(by=by, **data)


def include(plan, by, title: str, **fields) -> Proposal:
    """An included priority of `plan` (proposed by `by`, a lead of Sunderland CCG or hub staff:
    `ods=None`), marked included directly: what is tested here is what follows inclusion."""
    ods = fields.pop("ods", "00P")
    proposal = propose(plan, by, ods=ods, title=title, **fields)
    Proposal.objects.filter(pk=proposal.pk).update(status="included", rationale="Agreed")
    proposal.refresh_from_db()
    return proposal


def snapshot() -> tuple:
    """Everything a refused decision must leave as it was."""
    return (
        sorted(OverlapDecision.objects.values_list(), key=str),
        OverlapDecision.history.count(),
        AuditEvent.objects.filter(verb__startswith="programme.").count(),
    )
