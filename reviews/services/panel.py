"""Inviting the review, building the panel (suggested reviewers, conflicts), reviewers'
answers, and starting the review."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from commissioning import audit, outbox
from commissioning.concurrency import attribute_to, lock_version, save_versioned
from hubs.models import CCG, Hub
from oversight.models import GroupMember, Interest

from ..events import Event
from ..models import Assessment, PeerReview, Reviewer, ReviewerConflict
from ._base import ReviewError, _expect, _lock, _text
from .readiness import frozen_plan_version, governance_record, open_group

# --- inviting the review and building the panel --------------------------------------------


@transaction.atomic
def review_invite(*, by, review: PeerReview, version: int) -> PeerReview:
    """The regional team invites the review: the panel will read the newest frozen plan and
    the governance record as it was when that plan was submitted."""
    current = _lock(review, version, ["status"])
    _expect(current, PeerReview.Status.READY, doing="invite it")
    group = open_group(current.hub)
    plan_version = frozen_plan_version(group, current.cycle.year)
    if group is None or plan_version is None:  # no open group: no plan version either
        raise ReviewError("The hub's plan has no frozen version to review.")
    current.status = PeerReview.Status.INVITED
    current.invited_at, current.invited_by = timezone.now(), by
    current.plan_version = plan_version
    current.governance = governance_record(group, plan_version.frozen_at)
    save_versioned(
        current, by=by, fields=["status", "invited_at", "invited_by", "plan_version", "governance"]
    )
    audit.record(actor=by, verb=Event.INVITED, target=current)
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
    for user_id, role, kind in own.values_list("user_id", "role", "ccg__kind"):
        reasons.setdefault(
            user_id,
            "Works in the reviewed hub"
            if role == Role.HUB_STAFF
            # An ICB's lead is named as one (issue 13).
            else f"Leads {'an ICB' if kind == CCG.Kind.ICB else 'a CCG'} in the reviewed hub",
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
    from ..tasks import reviewer_invitation_send

    outbox.add(
        reviewer_invitation_send,
        reviewer.pk,
        key=f"reviewer-invitation:{reviewer.pk}",
        label=f"Invitation to {reviewer.user} to review {reviewer.review}",
    )


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
    attribute_to(reviewer, by)
    reviewer.save()
    audit.record(
        actor=by, verb=Event.REVIEWER_INVITED, target=review, reviewer=user.email, role=role
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
    save_versioned(current, by=by, fields=["status", "responded_at", "note"])
    audit.record(
        actor=by,
        verb=Event.REVIEWER_ACCEPTED if accept else Event.REVIEWER_DECLINED,
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
    save_versioned(current, by=by, fields=["status", "responded_at", "note"])
    conflict = ReviewerConflict(user=current.user, hub=current.review.hub, reason=reason[:300])
    attribute_to(conflict, by)
    conflict.save()
    audit.record(actor=by, verb=Event.REVIEWER_CONFLICTED, target=current.review, reason=reason)
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
    save_versioned(current, by=by, fields=["status", "note"])
    # A refusal for the newcomer rolls the whole replacement back.
    return panel_invite(by=by, review=current.review, user=user, role=current.role)


def start_blocker(panel) -> str:
    """Why the review cannot start with this panel yet, or "" (a lead and at least one other
    reviewer who have accepted). The page shows it instead of a working button (issue 18,
    finding 10); the service refuses with it."""
    accepted = [r for r in panel if r.is_accepted]
    if not accepted:
        return (
            "No panel reviewer has accepted yet. The review starts once a lead reviewer and "
            "at least one other reviewer have accepted."
        )
    if not any(r.is_lead for r in accepted):
        return "The panel needs a lead reviewer who has accepted."
    if len(accepted) < 2:
        return "The panel needs at least one reviewer besides the lead who has accepted."
    return ""


@transaction.atomic
def review_start(*, by, review: PeerReview, version: int) -> PeerReview:
    """The panel is in place: a lead and at least one other reviewer who have accepted."""
    current = _lock(review, version, ["status"])
    _expect(current, PeerReview.Status.INVITED, doing="start it")
    accepted = [r for r in current.panel.all() if r.is_accepted]
    blocker = start_blocker(accepted)
    if blocker:
        raise ReviewError(blocker)
    current.status = PeerReview.Status.IN_REVIEW
    current.started_at = timezone.now()
    save_versioned(current, by=by, fields=["status", "started_at"])
    audit.record(actor=by, verb=Event.STARTED, target=current, panel=len(accepted))
    return current
