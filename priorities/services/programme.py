"""The joint programme of work's one change (issue 17, "What to build" 4; seed 000 §3.6): for
each overlap of a hub's included priority with a national service review of its year
(priorities.programme), national admins record the agreed way forward (the local priority
proceeds, is folded into the national review, or waits) with its rationale. Atomic, audited,
version-locked; a later change keeps the earlier ones in the decision's history."""

from django.db import transaction
from django.utils import timezone

from accounts.permissions import scopes
from commissioning import audit
from commissioning.concurrency import (
    Change,
    ConflictError,
    create_recorded,
    lock_version,
    save_versioned,
)
from commissioning.limits import LONG_TEXT, too_long_message
from national.models import ServiceReview

from .. import events
from ..errors import PlanError, PlanNotAllowed
from ..models import OverlapDecision, Proposal
from ..programme import is_overlap

DECISION_FIELDS = ["way_forward", "rationale"]


def _fresh(proposal: Proposal, review: ServiceReview) -> tuple[Proposal, ServiceReview]:
    """The pair as it is now (the priority locked, so its status cannot move meanwhile)."""
    current = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("plan", "crg")
        .get(pk=proposal.pk)
    )
    return current, ServiceReview.objects.get(pk=review.pk)


@transaction.atomic
def overlap_agree(
    *,
    by,
    proposal: Proposal,
    review: ServiceReview,
    way_forward: str,
    rationale: str,
    version: int | None = None,
) -> OverlapDecision:
    """Record the agreed way forward for an overlap, or change it (`version`: the decision's
    version the change was made from). A first record when one exists already is a conflict,
    as a stale version is: nothing is written and the current decision is reported."""
    if not scopes(by).national:
        raise PlanNotAllowed("Only national admins record the agreed way forward.")
    if way_forward not in OverlapDecision.WayForward.values:
        raise PlanError(
            "Choose whether the local priority proceeds, is folded into the national review"
            " or waits.",
            field="way_forward",
        )
    rationale = (rationale or "").strip()
    if not rationale:
        raise PlanError("Give the rationale for the way forward.", field="rationale")
    if len(rationale) > LONG_TEXT:
        raise PlanError(too_long_message(LONG_TEXT), field="rationale")
    proposal, review = _fresh(proposal, review)
    if not is_overlap(proposal, review):
        raise PlanError(
            f"“{proposal.title}” does not overlap the national review of {review.title}: a way"
            " forward is agreed only for an included priority of the review's year with the"
            " same Clinical Reference Group or, where either names none, the same Programme"
            " of Care.",
            field="review",
        )
    existing = (
        OverlapDecision.objects.select_for_update()
        .select_related("decided_by")
        .filter(proposal=proposal, review=review)
        .first()
    )
    if existing is None:
        decision = create_recorded(
            OverlapDecision,
            by=by,
            proposal=proposal,
            review=review,
            way_forward=way_forward,
            rationale=rationale,
            decided_at=timezone.now(),
            decided_by=by,
        )
        audit.record(
            actor=by,
            verb=events.OVERLAP_AGREED,
            target=decision,
            proposal=proposal.pk,
            review=review.pk,
            way_forward=way_forward,
        )
        return decision
    if version is None:
        raise ConflictError(
            current=existing,
            changes=[
                Change(
                    field="Agreed way forward",
                    was="not yet agreed",
                    now=existing.get_way_forward_display(),
                )
            ],
            by=str(existing.decided_by),
        )
    current = lock_version(OverlapDecision, existing.pk, version, DECISION_FIELDS)
    current.way_forward, current.rationale = way_forward, rationale
    current.decided_by, current.decided_at = by, timezone.now()
    save_versioned(current, by=by, fields=[*DECISION_FIELDS, "decided_by", "decided_at"])
    audit.record(
        actor=by,
        verb=events.OVERLAP_CHANGED,
        target=current,
        proposal=proposal.pk,
        review=review.pk,
        way_forward=way_forward,
    )
    return current
