"""Assurance follows the peer review (issue 13 part 6; seed 000 §4.1.1: "Peer review and
assurance of plans", the region inviting "a peer review of both the plan and the proposed
governance arrangements to provide ... assurance").

The region may assure a plan once the hub's first-cycle peer review report has been issued for
the plan's submitted version. Peer reviews live in `reviews`, above this app, so priorities
asks the question and `reviews` answers it: `ReviewsConfig.ready()` registers the finder here,
the way each app registers its export renderer with `exports`. With no finder registered no
report is ever found, so assurance then needs an override with its reason (never a silent yes).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from .models import PlanVersion, PrioritiesPlan

NO_REPORT = (
    "You can assure this plan once the first peer review report for its submitted version "
    "has been issued, or give a reason to assure it without one."
)
NO_REASON = "Give the reason for assuring the plan without its peer review report."


@dataclass(frozen=True)
class IssuedReport:
    """A first-cycle peer review report issued on a frozen version of a plan."""

    title: str  # "First peer review 2015/16 of North East and Cumbria"
    number: int  # the report's newest issued version
    issued_on: datetime.date
    url: str


ReportFinder = Callable[[PlanVersion], IssuedReport | None]

_finder: list[ReportFinder] = []


def register(finder: ReportFinder) -> None:
    """Name the one function that finds the issued report on a plan version (reviews does)."""
    _finder[:] = [finder]


def submitted_version(plan: PrioritiesPlan) -> PlanVersion | None:
    """The version frozen when the plan was last submitted (None for a plan never submitted).
    A resubmission freezes a newer one, and a report on an older version no longer counts."""
    return plan.versions.filter(status=PrioritiesPlan.Status.SUBMITTED).order_by("-number").first()


def report_for(version: PlanVersion | None) -> IssuedReport | None:
    if version is None or not _finder:
        return None
    return _finder[0](version)


@dataclass(frozen=True)
class AssuranceBasis:
    """What a plan awaiting assurance may be assured on: its submitted version and the report
    on that version, if one has been issued."""

    version: PlanVersion | None
    report: IssuedReport | None

    @property
    def may_assure(self) -> bool:
        return self.report is not None


def assurance_basis(plan: PrioritiesPlan) -> AssuranceBasis:
    version = submitted_version(plan)
    return AssuranceBasis(version=version, report=report_for(version))
