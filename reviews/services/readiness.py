"""The readiness checklist, the hub's declaration, and the governance record the panel
reads (frozen when the review is invited)."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from commissioning import audit
from commissioning.concurrency import attribute_to
from commissioning.dates import nhs_date
from governance.models import DocumentVersion, GovernanceDocument
from hubs.models import CCG, Hub, commissioner_label, financial_year_day
from oversight.models import CCGMembership, GroupMember, OversightGroup
from oversight.services import group_coverage
from priorities.models import PlanVersion

from ..events import Event
from ..models import PeerReview, ReviewCycle
from ._base import ReviewError, _text

# --- readiness ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    met: bool
    detail: str


@dataclass(frozen=True)
class Readiness:
    checks: list[Check]

    @property
    def ready(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def plan_frozen(self) -> bool:
        return next(c.met for c in self.checks if c.key == "plan")

    @property
    def unmet(self) -> list[Check]:
        return [c for c in self.checks if not c.met]

    def as_dict(self) -> dict:
        return {c.key: {"label": c.label, "met": c.met, "detail": c.detail} for c in self.checks}


# Membership is complete when these voices sit on the group (seed 000, 3.3).
CORE_SECTORS = [
    GroupMember.Sector.NHS_ENGLAND,
    GroupMember.Sector.CCG,
    GroupMember.Sector.PUBLIC_HEALTH_ENGLAND,
    GroupMember.Sector.PATIENT_PUBLIC,
]


def open_group(hub: Hub) -> OversightGroup | None:
    return (
        OversightGroup.objects.filter(hub=hub)
        .exclude(status=OversightGroup.Status.CLOSED)
        .select_related("hub")
        .first()
    )


def frozen_plan_version(group: OversightGroup | None, year: int) -> PlanVersion | None:
    """The newest frozen version of the group's plan for the year (submitted or published)."""
    if group is None:
        return None
    return (
        PlanVersion.objects.filter(plan__group=group, plan__year=year)
        .select_related("plan")
        .order_by("-number")
        .first()
    )


def _no_voice(ccgs: list[CCG], shown: int = 5) -> str:
    if not ccgs:
        return ""
    names = ", ".join(c.name for c in ccgs[:shown])
    more = f" and {len(ccgs) - shown} more" if len(ccgs) > shown else ""
    return f"; no voice yet: {names}{more}"


def readiness_checks(
    *,
    group: OversightGroup | None,
    plan_version: PlanVersion | None,
    documents: dict[str, DocumentVersion],
    memberships: list[CCGMembership],
    sectors: set[str],
    today: datetime.date,
    footprint_day: datetime.date | None = None,
) -> Readiness:
    """The checklist, from records already loaded (so a board of ten hubs costs no more).
    Coverage is of the footprint on `footprint_day`: the cycle's financial year (issue 13)."""
    # "CCG" or "ICB": the footprint's organisations on the cycle's date (issue 13).
    kind = commissioner_label(footprint_day or today)
    if group is None:
        missing = "The hub has no open oversight group."
        return Readiness(
            [
                Check("group", "Oversight group set up", False, missing),
                Check("plan", "Priorities plan submitted", False, missing),
                Check("terms", "Terms of reference agreed", False, missing),
                Check("agreement", "Collaboration agreement agreed", False, missing),
                Check("coverage", f"Every footprint {kind} covered", False, missing),
                Check("membership", "Membership complete", False, missing),
            ]
        )
    coverage = group_coverage(group, memberships, footprint_day or today)
    missing_sectors = [GroupMember.Sector(s).label for s in CORE_SECTORS if s not in sectors]
    terms = documents.get(GovernanceDocument.Kind.TERMS_OF_REFERENCE)
    agreement = documents.get(GovernanceDocument.Kind.COLLABORATION_AGREEMENT)
    return Readiness(
        [
            Check("group", "Oversight group set up", True, group.name),
            Check(
                "plan",
                "Priorities plan submitted",
                plan_version is not None,
                f"Version {plan_version.number}, {plan_version.get_status_display().lower()}"
                if plan_version
                else "No version of this year's plan has been submitted yet.",
            ),
            Check(
                "terms",
                "Terms of reference agreed",
                terms is not None,
                f"Agreed {nhs_date(terms.agreed_on)}" if terms else "Not agreed yet.",
            ),
            Check(
                "agreement",
                "Collaboration agreement agreed",
                agreement is not None,
                f"Agreed {nhs_date(agreement.agreed_on)}" if agreement else "Not agreed yet.",
            ),
            Check(
                "coverage",
                f"Every footprint {kind} covered",
                not coverage.not_covered,
                f"{coverage.covered_count} of {len(coverage.footprint)} {kind}s"
                + _no_voice(coverage.not_covered),
            ),
            Check(
                "membership",
                "Membership complete",
                not missing_sectors,
                f"NHS England, {kind}s, Public Health England and patient and public voice are "
                "members"
                if not missing_sectors
                else f"No current member from: {', '.join(missing_sectors)}",
            ),
        ]
    )


def readiness_for_hubs(hubs: list[Hub], year: int, today: datetime.date) -> dict[int, Readiness]:
    """The readiness checklist of many hubs in a fixed number of queries."""
    groups = {
        g.hub_id: g
        for g in OversightGroup.objects.filter(hub__in=hubs)
        .exclude(status=OversightGroup.Status.CLOSED)
        .select_related("hub")
        .prefetch_related("hub__ccgs", "ccgs")
    }
    versions: dict[int, PlanVersion] = {}
    for version in (
        PlanVersion.objects.filter(plan__group__in=groups.values(), plan__year=year)
        .select_related("plan")
        .order_by("number")
    ):
        versions[version.plan.group_id] = version
    documents: dict[int, dict[str, DocumentVersion]] = {}
    for agreed in DocumentVersion.objects.filter(
        document__group__in=groups.values(), status=DocumentVersion.Status.AGREED
    ).select_related("document"):
        documents.setdefault(agreed.document.group_id, {})[agreed.document.kind] = agreed
    sectors: dict[int, set[str]] = {}
    current = GroupMember.objects.filter(group__in=groups.values(), start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    for group_id, sector in current.values_list("group_id", "sector"):
        sectors.setdefault(group_id, set()).add(sector)
    result = {}
    for hub in hubs:
        group = groups.get(hub.pk)
        result[hub.pk] = readiness_checks(
            group=group,
            plan_version=versions.get(group.pk) if group else None,
            documents=documents.get(group.pk, {}) if group else {},
            memberships=list(group.ccgs.all()) if group else [],
            sectors=sectors.get(group.pk, set()) if group else set(),
            today=today,
            footprint_day=financial_year_day(year, today),
        )
    return result


def readiness_for(hub: Hub, year: int) -> Readiness:
    return readiness_for_hubs([hub], year, timezone.localdate())[hub.pk]


@transaction.atomic
def review_declare_ready(*, by, cycle: ReviewCycle, hub: Hub, note: str = "") -> PeerReview:
    """Hub staff say the hub is ready to be reviewed. The plan must have a frozen version (the
    panel needs something to read); any other unmet check needs a note for the region."""
    readiness = readiness_for(hub, cycle.year)
    if not readiness.plan_frozen:
        raise ReviewError(
            f"Submit the {cycle.year_label} priorities plan first: the panel reviews a frozen "
            "version of it."
        )
    note = _text(note)
    if readiness.unmet and not note:
        raise ReviewError(
            "Some checks are not met yet. Say why the hub is ready all the same, and what it "
            "is doing about them.",
            field="note",
        )
    review = PeerReview(
        cycle=cycle,
        hub=hub,
        readiness=readiness.as_dict(),
        readiness_note=note,
        declared_at=timezone.now(),
        declared_by=by,
    )
    attribute_to(review, by)
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as clash:
        raise ReviewError(f"{hub.name} has already declared readiness for this cycle.") from clash
    audit.record(actor=by, verb=Event.READY_DECLARED, target=review, unmet=len(readiness.unmet))
    return review


def governance_record(group: OversightGroup, at: datetime.datetime) -> dict:
    """The group's governance as it was at `at` (from the records' history): members, CCG
    places and agreed documents. What the panel reviews, frozen on the review."""
    day = timezone.localtime(at).date()
    members = [
        m
        for m in GroupMember.history.as_of(at).filter(group_id=group.pk)
        if m.start_date <= day and (m.end_date is None or m.end_date >= day)
    ]
    places = list(CCGMembership.history.as_of(at).filter(group_id=group.pk))
    ccg_names = dict(
        CCG.objects.filter(pk__in=[p.ccg_id for p in places]).values_list("pk", "name")
    )
    documents = (
        DocumentVersion.history.as_of(at)
        .filter(
            document__group=group,
            status__in=[DocumentVersion.Status.AGREED, DocumentVersion.Status.SUPERSEDED],
            agreed_on__lte=day,
        )
        .select_related("document")
        .order_by("document__kind", "-number")
    )
    latest_docs: dict[str, DocumentVersion] = {}
    for doc in documents:
        latest_docs.setdefault(doc.document.kind, doc)
    return {
        "as_at": at.isoformat(),
        "group": group.name,
        "members": [
            {
                "name": m.full_name,
                "organisation": m.organisation,
                "sector": GroupMember.Sector(m.sector).label,
                "role": GroupMember.Role(m.role).label,
                "voting": m.voting,
            }
            for m in sorted(members, key=lambda m: (m.sector, m.full_name))
        ],
        "ccgs": [
            {"ccg": ccg_names.get(p.ccg_id, ""), "status": CCGMembership.Status(p.status).label}
            for p in sorted(places, key=lambda p: ccg_names.get(p.ccg_id, ""))
        ],
        "documents": [
            {
                "kind": GovernanceDocument.Kind(kind).label,
                "number": doc.number,
                "agreed_on": doc.agreed_on.isoformat() if doc.agreed_on else "",
            }
            for kind, doc in sorted(latest_docs.items())
        ],
    }
