"""Every change to peer reviews: named, atomic, audited, version-locked.

The life of a review: hub staff declare readiness (from the computed checklist) → the regional
team invites the review and builds the panel → reviewers accept, decline or declare a conflict
→ the region starts the review (the panel sees the frozen plan and governance record) → each
reviewer rates every line of enquiry independently → the lead consolidates and issues the
report → hub staff respond with an action per recommendation → the region signs it off.
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from commissioning import audit
from commissioning.concurrency import lock_version
from commissioning.errors import RuleError
from commissioning.queueing import enqueue_on_commit
from governance.models import DocumentVersion, GovernanceDocument
from hubs.models import CCG, Hub
from oversight.models import CCGMembership, GroupMember, Interest, OversightGroup
from oversight.services import group_coverage
from priorities.models import PlanVersion

from .models import (
    Assessment,
    Finding,
    LineOfEnquiry,
    LineRating,
    PeerReview,
    Rating,
    ReviewCycle,
    Reviewer,
    ReviewerConflict,
    ReviewRecommendation,
    ReviewReport,
)


class ReviewError(RuleError):
    """A change to a peer review that breaks a rule (see RuleError)."""


def _save(obj, by, fields: list[str]) -> None:
    obj.version += 1
    obj._history_user = by
    obj.save(update_fields=[*fields, "version"])


def _text(value: str | None) -> str:
    return (value or "").strip()


# --- cycles ---------------------------------------------------------------------------------

# Seed 000 section 4.1: the first review assures the plan and governance at the point of
# readiness; the second identifies improvements, reviews how the collaborative functions,
# finds further areas for improvement and shares learning.
DEFAULT_LINES = {
    ReviewCycle.Kind.FIRST: [
        (
            "Priorities plan",
            "Priorities are evidenced, reduce inequalities and improve quality, value and "
            "sustainability; CCGs proposed them and the group agreed them against its criteria.",
        ),
        (
            "Governance arrangements",
            "Terms of reference and a collaboration agreement are agreed; quorum, decisions and "
            "recommendations to the regional team are recorded.",
        ),
        (
            "CCG engagement and representation",
            "Every CCG in the footprint is a member or represented by a member CCG, and takes "
            "part.",
        ),
        (
            "Membership and voices",
            "NHS England, Public Health England, patients and the public, local authorities and "
            "the voluntary sector are members; conflicts of interest are declared and managed.",
        ),
        (
            "Delivery and QIPP",
            "Each priority has a lead, a sub-group, milestones and a QIPP target that add up.",
        ),
    ],
    ReviewCycle.Kind.SECOND: [
        ("Improvements made", "What the collaborative has improved since the first review."),
        (
            "How the collaborative arrangements function",
            "Meetings, sub-groups, decision making and CCG participation in practice.",
        ),
        ("Further areas for improvement", "What should change before next year's plan."),
        ("Learning and good practice to share", "What other hubs should learn from this one."),
    ],
}


@transaction.atomic
def cycle_create(
    *,
    by,
    year: int,
    kind: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    purpose: str = "",
) -> ReviewCycle:
    """A new review cycle with the default lines of enquiry for its kind."""
    if closes_on < opens_on:
        raise ReviewError("The window must close on or after the day it opens.", field="closes_on")
    cycle = ReviewCycle(year=year, kind=kind, opens_on=opens_on, closes_on=closes_on)
    cycle.purpose = _text(purpose)
    cycle._history_user = by
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError as clash:
        raise ReviewError(
            f"There is already a {cycle.get_kind_display().lower()} cycle for {cycle.year_label}.",
            field="kind",
        ) from clash
    for order, (title, prompt) in enumerate(DEFAULT_LINES[kind], start=1):
        line = LineOfEnquiry(cycle=cycle, order=order, title=title, prompt=prompt)
        line._history_user = by
        line.save()
    audit.record(actor=by, verb="review_cycle.created", target=cycle)
    return cycle


@transaction.atomic
def line_add(*, by, cycle: ReviewCycle, title: str, prompt: str = "") -> LineOfEnquiry:
    """Add a line of enquiry; only before any reviewer has started rating."""
    if LineRating.objects.filter(line__cycle=cycle).exists():
        raise ReviewError("Reviewers have started rating: the lines of enquiry are fixed now.")
    title = _text(title)
    if not title:
        raise ReviewError("Give the line of enquiry a title.", field="title")
    if cycle.lines.filter(title__iexact=title).exists():
        raise ReviewError("The cycle already has that line of enquiry.", field="title")
    order = (cycle.lines.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    line = LineOfEnquiry(cycle=cycle, order=order, title=title, prompt=_text(prompt))
    line._history_user = by
    line.save()
    audit.record(actor=by, verb="review_cycle.line_added", target=cycle, line=title)
    return line


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
    documents: dict[str, object],
    memberships: list[CCGMembership],
    sectors: set[str],
    today: datetime.date,
) -> Readiness:
    """The checklist, from records already loaded (so a board of ten hubs costs no more)."""
    if group is None:
        missing = "The hub has no open oversight group."
        return Readiness(
            [
                Check("group", "Oversight group set up", False, missing),
                Check("plan", "Priorities plan submitted", False, missing),
                Check("terms", "Terms of reference agreed", False, missing),
                Check("agreement", "Collaboration agreement agreed", False, missing),
                Check("coverage", "Every footprint CCG covered", False, missing),
                Check("membership", "Membership complete", False, missing),
            ]
        )
    coverage = group_coverage(group, memberships, today)
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
                f"Agreed {terms.agreed_on:%-d %B %Y}" if terms else "Not agreed yet.",
            ),
            Check(
                "agreement",
                "Collaboration agreement agreed",
                agreement is not None,
                f"Agreed {agreement.agreed_on:%-d %B %Y}" if agreement else "Not agreed yet.",
            ),
            Check(
                "coverage",
                "Every footprint CCG covered",
                not coverage.not_covered,
                f"{coverage.covered_count} of {len(coverage.footprint)} CCGs"
                + _no_voice(coverage.not_covered),
            ),
            Check(
                "membership",
                "Membership complete",
                not missing_sectors,
                "NHS England, CCGs, Public Health England and patient and public voice are members"
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
    documents: dict[int, dict] = {}
    for version in DocumentVersion.objects.filter(
        document__group__in=groups.values(), status=DocumentVersion.Status.AGREED
    ).select_related("document"):
        documents.setdefault(version.document.group_id, {})[version.document.kind] = version
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
    review._history_user = by
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as clash:
        raise ReviewError(f"{hub.name} has already declared readiness for this cycle.") from clash
    audit.record(
        actor=by, verb="peer_review.ready_declared", target=review, unmet=len(readiness.unmet)
    )
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


# --- inviting the review and building the panel --------------------------------------------


def _lock(review: PeerReview, version: int, fields: list[str]) -> PeerReview:
    return lock_version(PeerReview, review.pk, version, fields)


def _expect(review: PeerReview, *statuses: str, doing: str) -> None:
    if review.status not in statuses:
        raise ReviewError(
            f"The review is {review.get_status_display().lower()}, so you cannot {doing} now."
        )


@transaction.atomic
def review_invite(*, by, review: PeerReview, version: int) -> PeerReview:
    """The regional team invites the review: the panel will read the newest frozen plan and
    the governance record as it was when that plan was submitted."""
    current = _lock(review, version, ["status"])
    _expect(current, PeerReview.Status.READY, doing="invite it")
    group = open_group(current.hub)
    plan_version = frozen_plan_version(group, current.cycle.year)
    if plan_version is None:
        raise ReviewError("The hub's plan has no frozen version to review.")
    current.status = PeerReview.Status.INVITED
    current.invited_at, current.invited_by = timezone.now(), by
    current.plan_version = plan_version
    current.governance = governance_record(group, plan_version.frozen_at)
    _save(current, by, ["status", "invited_at", "invited_by", "plan_version", "governance"])
    audit.record(actor=by, verb="peer_review.invited", target=current)
    return current


@dataclass
class Candidate:
    user: User
    home: str
    hub_id: int | None
    region_id: int | None
    load: int
    excluded: str = ""


@dataclass
class Candidates:
    offered: list[Candidate] = field(default_factory=list)
    excluded: list[Candidate] = field(default_factory=list)


def _homes(assignments) -> dict[int, tuple[str, int | None, int | None]]:
    """Each person's home for balancing: (label, hub id, region id) from their first role."""
    homes: dict[int, tuple[str, int | None, int | None]] = {}
    for a in assignments:
        if a.user_id in homes:
            continue
        if a.role == Role.HUB_STAFF:
            homes[a.user_id] = (f"{a.hub.name} hub", a.hub_id, a.hub.region_id)
        elif a.role == Role.CCG_LEAD:
            homes[a.user_id] = (
                f"{a.ccg.name}, {a.ccg.hub.name}",
                a.ccg.hub_id,
                a.ccg.hub.region_id,
            )
        elif a.role == Role.REGIONAL_TEAM:
            homes[a.user_id] = (f"{a.region.name} regional team", None, a.region_id)
    return homes


def conflicts_with_hub(hub: Hub) -> dict[int, str]:
    """{user id: why} for everyone who may not review `hub`: its own staff and CCG leads, the
    members of its group, people with an interest naming it or its CCGs, and declared
    conflicts. A fixed number of queries, whatever the number of people."""
    reasons: dict[int, str] = {}
    today = timezone.localdate()
    own = RoleAssignment.objects.active().filter(Q(hub=hub) | Q(ccg__hub=hub))
    for user_id, role in own.values_list("user_id", "role"):
        reasons.setdefault(
            user_id,
            "Works in the reviewed hub"
            if role == Role.HUB_STAFF
            else "Leads a CCG in the reviewed hub",
        )
    member_emails = {
        e.lower()
        for e in GroupMember.objects.filter(group__hub=hub)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exclude(email="")
        .values_list("email", flat=True)
    }
    names = [hub.name.lower(), *(n.lower() for n in hub.ccgs.values_list("name", flat=True))]
    interest_emails = {
        email.lower()
        for email, organisation in Interest.objects.filter(valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .exclude(member__email="")
        .values_list("member__email", "organisation")
        # The registered organisation names the hub or one of its CCGs.
        if any(
            name in organisation.lower() or organisation.strip().lower() == name for name in names
        )
    }
    for user_id, email in User.objects.filter(is_active=True).values_list("pk", "email"):
        if email.lower() in member_emails:
            reasons.setdefault(user_id, "A member of the hub's oversight group")
        elif email.lower() in interest_emails:
            reasons.setdefault(user_id, "Declared an interest in the hub or its CCGs")
    for user_id, reason in ReviewerConflict.objects.filter(hub=hub).values_list(
        "user_id", "reason"
    ):
        reasons.setdefault(user_id, f"Declared a conflict: {reason}")
    return reasons


def reviewer_candidates(review: PeerReview) -> Candidates:
    """People who could sit on the panel — hub staff and CCG leads of other hubs — best balanced
    first: from hubs (and then regions) not yet on the panel, with the fewest reviews this
    cycle. Those who may not review this hub are listed apart with the reason, never offered."""
    assignments = list(
        RoleAssignment.objects.active()
        .filter(role__in=[Role.HUB_STAFF, Role.CCG_LEAD], user__is_active=True)
        .select_related("user", "hub", "ccg__hub", "region")
        .order_by("user_id", "role")
    )
    homes = _homes(assignments)
    users = {a.user_id: a.user for a in assignments}
    conflicts = conflicts_with_hub(review.hub)
    panel = list(review.panel.filter(status__in=Reviewer.ACTIVE))
    on_panel = {r.user_id for r in panel}
    panel_hubs = [homes.get(r.user_id, ("", None, None))[1] for r in panel]
    panel_regions = [homes.get(r.user_id, ("", None, None))[2] for r in panel]
    loads = dict(
        Reviewer.objects.filter(review__cycle_id=review.cycle_id, status__in=Reviewer.ACTIVE)
        .values_list("user_id")
        .annotate(n=Count("pk"))
    )
    result = Candidates()
    for user_id, (home, hub_id, region_id) in homes.items():
        if user_id in on_panel:
            continue
        candidate = Candidate(
            user=users[user_id],
            home=home,
            hub_id=hub_id,
            region_id=region_id,
            load=loads.get(user_id, 0),
        )
        if user_id in conflicts:
            candidate.excluded = conflicts[user_id]
            result.excluded.append(candidate)
        else:
            result.offered.append(candidate)
    result.offered.sort(
        key=lambda c: (
            panel_hubs.count(c.hub_id) if c.hub_id else 0,
            panel_regions.count(c.region_id),
            c.region_id == review.hub.region_id,
            c.load,
            c.user.full_name,
        )
    )
    result.excluded.sort(key=lambda c: c.user.full_name)
    return result


def _queue_invitation(reviewer: Reviewer) -> None:
    from .tasks import reviewer_invitation_send

    enqueue_on_commit(reviewer_invitation_send, reviewer.pk)


@transaction.atomic
def panel_invite(*, by, review: PeerReview, user: User, role: str) -> Reviewer:
    """Invite someone onto the panel. Refused for anyone who may not review this hub."""
    review = PeerReview.objects.select_for_update().select_related("hub", "cycle").get(pk=review.pk)
    _expect(
        review,
        PeerReview.Status.INVITED,
        PeerReview.Status.IN_REVIEW,
        doing="change the panel",
    )
    if user is None:
        raise ReviewError("Choose a reviewer.", field="user")
    conflict = conflicts_with_hub(review.hub).get(user.pk)
    if conflict:
        raise ReviewError(
            f"{user.full_name} cannot review {review.hub.name}: {conflict.lower()}.", field="user"
        )
    if review.panel.filter(user=user, status__in=Reviewer.ACTIVE).exists():
        raise ReviewError(f"{user.full_name} is already on the panel.", field="user")
    if (
        role == Reviewer.Role.LEAD
        and review.panel.filter(role=Reviewer.Role.LEAD, status__in=Reviewer.ACTIVE).exists()
    ):
        raise ReviewError("The panel already has a lead reviewer.", field="role")
    home = _homes(
        RoleAssignment.objects.active()
        .filter(user=user)
        .select_related("hub", "ccg__hub", "region")
    ).get(user.pk, ("", None, None))[0]
    reviewer = Reviewer(review=review, user=user, role=role, invited_by=by, home=home)
    reviewer._history_user = by
    reviewer.save()
    audit.record(
        actor=by, verb="peer_review.reviewer_invited", target=review, reviewer=user.email, role=role
    )
    _queue_invitation(reviewer)
    return reviewer


def _lock_reviewer(reviewer: Reviewer, version: int) -> Reviewer:
    return lock_version(Reviewer, reviewer.pk, version, ["status", "role"])


@transaction.atomic
def reviewer_respond(
    *, by, reviewer: Reviewer, version: int, accept: bool, note: str = ""
) -> Reviewer:
    current = _lock_reviewer(reviewer, version)
    if current.status != Reviewer.Status.INVITED:
        raise ReviewError(f"This invitation is {current.get_status_display().lower()} already.")
    current.status = Reviewer.Status.ACCEPTED if accept else Reviewer.Status.DECLINED
    current.responded_at = timezone.now()
    current.note = _text(note)[:300]
    _save(current, by, ["status", "responded_at", "note"])
    audit.record(
        actor=by,
        verb="peer_review.reviewer_accepted" if accept else "peer_review.reviewer_declined",
        target=current.review,
    )
    return current


@transaction.atomic
def reviewer_declare_conflict(*, by, reviewer: Reviewer, reason: str) -> Reviewer:
    """A reviewer declares a conflict with the hub: off this panel, and never offered for the
    hub's reviews again."""
    reason = _text(reason)
    if not reason:
        raise ReviewError("Say what the conflict is.", field="reason")
    current = Reviewer.objects.select_for_update().select_related("review__hub").get(pk=reviewer.pk)
    if not current.is_active:
        raise ReviewError(
            f"You are no longer on this panel ({current.get_status_display().lower()})."
        )
    if hasattr(current, "assessment") and current.assessment.status == Assessment.Status.SUBMITTED:
        raise ReviewError("Your review is submitted; ask the regional team to withdraw it.")
    current.status = Reviewer.Status.CONFLICTED
    current.responded_at = timezone.now()
    current.note = reason[:300]
    _save(current, by, ["status", "responded_at", "note"])
    conflict = ReviewerConflict(user=current.user, hub=current.review.hub, reason=reason[:300])
    conflict._history_user = by
    conflict.save()
    audit.record(
        actor=by, verb="peer_review.reviewer_conflicted", target=current.review, reason=reason
    )
    return current


@transaction.atomic
def reviewer_replace(
    *, by, reviewer: Reviewer, version: int, user: User, reason: str = ""
) -> Reviewer:
    """Put someone else in a place on the panel (same role); the old place stays as history."""
    current = _lock_reviewer(reviewer, version)
    if current.status == Reviewer.Status.REPLACED:
        raise ReviewError("This place has been filled by someone else already.")
    if (
        current.status == Reviewer.Status.ACCEPTED
        and hasattr(current, "assessment")
        and current.assessment.status == Assessment.Status.SUBMITTED
    ):
        raise ReviewError("This reviewer has submitted their review; it cannot be replaced.")
    current.status = Reviewer.Status.REPLACED
    current.note = _text(reason)[:300] or current.note
    _save(current, by, ["status", "note"])
    # A refusal for the newcomer rolls the whole replacement back.
    return panel_invite(by=by, review=current.review, user=user, role=current.role)


@transaction.atomic
def review_start(*, by, review: PeerReview, version: int) -> PeerReview:
    """The panel is in place: a lead and at least one other reviewer who have accepted."""
    current = _lock(review, version, ["status"])
    _expect(current, PeerReview.Status.INVITED, doing="start it")
    accepted = list(current.panel.filter(status=Reviewer.Status.ACCEPTED))
    if not any(r.is_lead for r in accepted):
        raise ReviewError("The panel needs a lead reviewer who has accepted.")
    if len(accepted) < 2:
        raise ReviewError(
            "The panel needs at least one reviewer besides the lead who has accepted."
        )
    current.status = PeerReview.Status.IN_REVIEW
    current.started_at = timezone.now()
    _save(current, by, ["status", "started_at"])
    audit.record(actor=by, verb="peer_review.started", target=current, panel=len(accepted))
    return current


# --- each reviewer's assessment -------------------------------------------------------------


def assessment_for(reviewer: Reviewer) -> Assessment:
    assessment, _ = Assessment.objects.get_or_create(reviewer=reviewer)
    return assessment


@transaction.atomic
def assessment_save(
    *,
    by,
    reviewer: Reviewer,
    version: int,
    ratings: dict[int, dict],
    submit: bool = False,
) -> Assessment:
    """Save a reviewer's ratings ({line id: {rating, evidence, comments}}); submitting needs
    a rating and evidence for every line, and freezes the assessment."""
    review = reviewer.review
    if review.status != PeerReview.Status.IN_REVIEW:
        raise ReviewError("The review is not open for reviewers' ratings.")
    if reviewer.status != Reviewer.Status.ACCEPTED:
        raise ReviewError("Only a reviewer who has accepted a place rates the review.")
    assessment = assessment_for(reviewer)
    current = lock_version(Assessment, assessment.pk, version, ["status"])
    if current.status == Assessment.Status.SUBMITTED:
        raise ReviewError("Your review is submitted and cannot be changed.")
    lines = {line.pk: line for line in review.cycle.lines.all()}
    for line_id, values in ratings.items():
        if line_id not in lines:
            raise ReviewError("That line of enquiry is not part of this review.")
        rating = values.get("rating") or ""
        if rating and rating not in Rating.values:
            raise ReviewError(
                "Choose assured, partially assured or not assured.", field=f"rating_{line_id}"
            )
    existing = {r.line_id: r for r in current.ratings.all()}
    for line_id, values in ratings.items():
        row = existing.get(line_id) or LineRating(assessment=current, line=lines[line_id])
        row.rating = values.get("rating") or ""
        row.evidence = _text(values.get("evidence"))
        row.comments = _text(values.get("comments"))
        row._history_user = by
        row.save()
        existing[line_id] = row
    if submit:
        for line_id, line in lines.items():
            row = existing.get(line_id)
            if row is None or not row.rating:
                raise ReviewError(
                    f"Rate “{line.title}” before you submit.", field=f"rating_{line_id}"
                )
            if not row.evidence:
                raise ReviewError(
                    f"Give the evidence for your rating of “{line.title}”.",
                    field=f"evidence_{line_id}",
                )
        current.status = Assessment.Status.SUBMITTED
        current.submitted_at = timezone.now()
        _save(current, by, ["status", "submitted_at"])
        audit.record(actor=by, verb="peer_review.assessment_submitted", target=review)
    else:
        _save(current, by, [])
    return current


# --- the lead's report ----------------------------------------------------------------------


def _lead_can_write(review: PeerReview) -> None:
    if review.status not in (
        PeerReview.Status.IN_REVIEW,
        PeerReview.Status.REPORT_ISSUED,
        PeerReview.Status.RESPONDED,
    ):
        raise ReviewError(
            f"The review is {review.get_status_display().lower()}: the report cannot change now."
        )


@transaction.atomic
def review_consolidate(
    *, by, review: PeerReview, version: int, overall_rating: str, summary: str
) -> PeerReview:
    current = _lock(review, version, ["overall_rating", "summary"])
    _lead_can_write(current)
    if overall_rating and overall_rating not in Rating.values:
        raise ReviewError(
            "Choose assured, partially assured or not assured.", field="overall_rating"
        )
    current.overall_rating = overall_rating or ""
    current.summary = _text(summary)
    _save(current, by, ["overall_rating", "summary"])
    audit.record(actor=by, verb="peer_review.consolidated", target=current)
    return current


FINDING_FIELDS = ["kind", "title", "detail", "theme", "programme_of_care", "shareable"]


def _check_finding(fields: dict) -> None:
    if not _text(fields.get("title")):
        raise ReviewError("Give the finding a title.", field="title")
    if not _text(fields.get("detail")):
        raise ReviewError("Describe the finding.", field="detail")


@transaction.atomic
def finding_add(*, by, review: PeerReview, **fields) -> Finding:
    _lead_can_write(review)
    _check_finding(fields)
    finding = Finding(review=review, **{k: fields[k] for k in FINDING_FIELDS if k in fields})
    finding._history_user = by
    finding.save()
    audit.record(actor=by, verb="peer_review.finding_added", target=review, title=finding.title)
    return finding


@transaction.atomic
def finding_update(*, by, finding: Finding, version: int, **fields) -> Finding:
    current = lock_version(Finding, finding.pk, version, FINDING_FIELDS)
    _lead_can_write(current.review)
    _check_finding({**{f: getattr(current, f) for f in FINDING_FIELDS}, **fields})
    changed = [f for f in FINDING_FIELDS if f in fields and getattr(current, f) != fields[f]]
    for name in changed:
        setattr(current, name, fields[name])
    _save(current, by, changed)
    audit.record(
        actor=by, verb="peer_review.finding_updated", target=current.review, fields=changed
    )
    return current


@transaction.atomic
def finding_archive(*, by, finding: Finding, version: int) -> Finding:
    current = lock_version(Finding, finding.pk, version, ["archived"])
    _lead_can_write(current.review)
    current.archived = True
    _save(current, by, ["archived"])
    audit.record(
        actor=by, verb="peer_review.finding_archived", target=current.review, title=current.title
    )
    return current


RECOMMENDATION_FIELDS = ["title", "detail", "owner", "due_date"]


def _check_recommendation(review: PeerReview, fields: dict) -> None:
    if not _text(fields.get("title")):
        raise ReviewError("Say what is recommended.", field="title")
    if not _text(fields.get("owner")):
        raise ReviewError("Name who owns the recommendation.", field="owner")
    due = fields.get("due_date")
    if due is None:
        raise ReviewError("Give the date it is due by.", field="due_date")
    year_end = datetime.date(review.cycle.year + 2, 3, 31)
    if due > year_end:
        raise ReviewError(
            f"Set a due date by {year_end:%-d %B %Y}, within the following year's cycle.",
            field="due_date",
        )


@transaction.atomic
def recommendation_add(*, by, review: PeerReview, **fields) -> ReviewRecommendation:
    _lead_can_write(review)
    _check_recommendation(review, fields)
    rec = ReviewRecommendation(
        review=review, **{k: fields[k] for k in RECOMMENDATION_FIELDS if k in fields}
    )
    rec.title, rec.owner, rec.detail = _text(rec.title), _text(rec.owner), _text(rec.detail)
    rec._history_user = by
    rec.save()
    audit.record(actor=by, verb="peer_review.recommendation_added", target=review, title=rec.title)
    return rec


@transaction.atomic
def recommendation_update(
    *, by, recommendation: ReviewRecommendation, version: int, **fields
) -> ReviewRecommendation:
    current = lock_version(ReviewRecommendation, recommendation.pk, version, RECOMMENDATION_FIELDS)
    _lead_can_write(current.review)
    _check_recommendation(
        current.review, {**{f: getattr(current, f) for f in RECOMMENDATION_FIELDS}, **fields}
    )
    changed = [f for f in RECOMMENDATION_FIELDS if f in fields and getattr(current, f) != fields[f]]
    for name in changed:
        setattr(current, name, fields[name])
    _save(current, by, changed)
    audit.record(
        actor=by, verb="peer_review.recommendation_updated", target=current.review, fields=changed
    )
    return current


@transaction.atomic
def recommendation_archive(
    *, by, recommendation: ReviewRecommendation, version: int
) -> ReviewRecommendation:
    current = lock_version(ReviewRecommendation, recommendation.pk, version, ["archived"])
    _lead_can_write(current.review)
    current.archived = True
    _save(current, by, ["archived"])
    audit.record(
        actor=by,
        verb="peer_review.recommendation_archived",
        target=current.review,
        title=current.title,
    )
    return current


def report_content(review: PeerReview) -> dict:
    """What an issued report freezes: the consolidation, findings and recommendations."""
    findings = review.findings.filter(archived=False).select_related("programme_of_care")
    recommendations = review.recommendations.filter(archived=False)
    return {
        "hub": review.hub.name,
        "cycle": str(review.cycle),
        "overall_rating": review.overall_rating,
        "overall_rating_label": Rating(review.overall_rating).label
        if review.overall_rating
        else "",
        "summary": review.summary,
        "plan_version": review.plan_version.number if review.plan_version else None,
        "panel": [
            {"name": r.user.full_name, "role": r.get_role_display(), "home": r.home}
            for r in review.panel.filter(status=Reviewer.Status.ACCEPTED).select_related("user")
        ],
        "findings": [
            {
                "id": f.pk,
                "kind": f.kind,
                "title": f.title,
                "detail": f.detail,
                "theme": f.get_theme_display(),
                "programme_of_care": f.programme_of_care.name if f.programme_of_care else "",
                "shareable": f.shareable,
            }
            for f in findings
        ],
        "recommendations": [
            {
                "id": r.pk,
                "title": r.title,
                "detail": r.detail,
                "owner": r.owner,
                "due_date": r.due_date.isoformat(),
            }
            for r in recommendations
        ],
    }


@transaction.atomic
def report_issue(*, by, review: PeerReview, version: int, reason: str = "") -> ReviewReport:
    """Issue the report to the hub: frozen from now on. A later issue is a correction and
    needs its reason; the hub always sees the newest issued version."""
    current = _lock(review, version, ["status", "overall_rating", "summary"])
    _lead_can_write(current)
    first = current.status == PeerReview.Status.IN_REVIEW
    reason = _text(reason)
    if not first and not reason:
        raise ReviewError("Say why the issued report is being corrected.", field="reason")
    if first:
        waiting = current.panel.filter(status=Reviewer.Status.ACCEPTED).exclude(
            assessment__status=Assessment.Status.SUBMITTED
        )
        names = [r.user.full_name for r in waiting.select_related("user")]
        if names:
            raise ReviewError(f"Waiting for reviews from: {', '.join(names)}.")
    if not current.overall_rating:
        raise ReviewError(
            "Give the overall rating before issuing the report.", field="overall_rating"
        )
    if not current.summary:
        raise ReviewError("Write the summary before issuing the report.", field="summary")
    number = current.reports.count() + 1
    report = ReviewReport.objects.create(
        review=current,
        number=number,
        overall_rating=current.overall_rating,
        content=report_content(current),
        reason=reason,
        issued_by=by,
    )
    if first:
        current.status = PeerReview.Status.REPORT_ISSUED
        _save(current, by, ["status"])
    audit.record(
        actor=by,
        verb="peer_review.report_issued" if first else "peer_review.report_corrected",
        target=current,
        number=number,
        reason=reason,
    )
    return report


def latest_report(review: PeerReview) -> ReviewReport | None:
    return review.reports.order_by("-number").first()


def shared_findings():
    """The learning library: shareable findings as they stand in each review's newest issued
    report (one added or un-shared since the last issue waits for the next). Two queries."""
    latest: dict[int, tuple[int, list]] = {}
    for review_id, number, findings in ReviewReport.objects.values_list(
        "review_id", "number", "content__findings"
    ):
        if review_id not in latest or number > latest[review_id][0]:
            latest[review_id] = (number, findings or [])
    ids = [f["id"] for _, findings in latest.values() for f in findings if f.get("shareable")]
    return Finding.objects.filter(pk__in=ids, shareable=True, archived=False)


def issued_recommendation_ids(review: PeerReview) -> set[int]:
    report = latest_report(review)
    return {r["id"] for r in report.content["recommendations"]} if report else set()


# --- the hub's response and the region's sign-off -------------------------------------------


@transaction.atomic
def response_submit(
    *, by, review: PeerReview, version: int, summary: str, actions: dict[int, str]
) -> PeerReview:
    """Hub staff answer the report: an action for every recommendation in it."""
    current = _lock(review, version, ["status", "response_summary"])
    _expect(current, PeerReview.Status.REPORT_ISSUED, doing="respond")
    issued = ReviewRecommendation.objects.filter(
        pk__in=issued_recommendation_ids(current), archived=False
    ).select_for_update()
    for rec in issued:
        if not _text(actions.get(rec.pk)):
            raise ReviewError(f"Give the hub's action for “{rec.title}”.", field=f"action_{rec.pk}")
    for rec in issued:
        rec.hub_action = _text(actions[rec.pk])
        if rec.status == ReviewRecommendation.Status.OPEN:
            rec.status = ReviewRecommendation.Status.IN_PROGRESS
        _save(rec, by, ["hub_action", "status"])
    current.status = PeerReview.Status.RESPONDED
    current.response_summary = _text(summary)
    current.responded_at, current.responded_by = timezone.now(), by
    _save(current, by, ["status", "response_summary", "responded_at", "responded_by"])
    audit.record(actor=by, verb="peer_review.responded", target=current)
    return current


@transaction.atomic
def response_sign_off(*, by, review: PeerReview, version: int, note: str = "") -> PeerReview:
    current = _lock(review, version, ["status"])
    _expect(current, PeerReview.Status.RESPONDED, doing="sign off the response")
    current.status = PeerReview.Status.SIGNED_OFF
    current.signoff_note = _text(note)
    current.signed_off_at, current.signed_off_by = timezone.now(), by
    _save(current, by, ["status", "signoff_note", "signed_off_at", "signed_off_by"])
    audit.record(actor=by, verb="peer_review.signed_off", target=current)
    return current


@transaction.atomic
def response_return(*, by, review: PeerReview, version: int, note: str) -> PeerReview:
    """The region sends the response back to the hub with what it must add."""
    note = _text(note)
    if not note:
        raise ReviewError("Say what the hub's response needs.", field="note")
    current = _lock(review, version, ["status"])
    _expect(current, PeerReview.Status.RESPONDED, doing="return the response")
    current.status = PeerReview.Status.REPORT_ISSUED
    current.signoff_note = note
    _save(current, by, ["status", "signoff_note"])
    audit.record(actor=by, verb="peer_review.response_returned", target=current, note=note)
    return current


@transaction.atomic
def recommendation_progress(
    *, by, recommendation: ReviewRecommendation, version: int, status: str, note: str = ""
) -> ReviewRecommendation:
    """The hub reports progress on a recommendation; closing it needs a note of what was done."""
    current = lock_version(
        ReviewRecommendation, recommendation.pk, version, ["status", "closure_note"]
    )
    if current.archived or current.pk not in issued_recommendation_ids(current.review):
        raise ReviewError("This recommendation has not been issued to the hub.")
    if status not in ReviewRecommendation.Status.values:
        raise ReviewError("Choose open, in progress or closed.", field="status")
    note = _text(note)
    if status == ReviewRecommendation.Status.CLOSED and not note:
        raise ReviewError("Say what was done to close it.", field="note")
    current.status = status
    if status == ReviewRecommendation.Status.CLOSED:
        current.closure_note, current.closed_at = note, timezone.now()
    else:
        current.closed_at = None
    _save(current, by, ["status", "closure_note", "closed_at"])
    audit.record(
        actor=by, verb="peer_review.recommendation_progress", target=current.review, status=status
    )
    return current
