"""The hub's response to the report, the region's sign-off, and progress on recommendations."""

from django.db import transaction
from django.utils import timezone

from commissioning import audit
from commissioning.concurrency import lock_version, save_versioned

from ..events import Event
from ..models import PeerReview, ReviewRecommendation
from ._base import ReviewError, _expect, _lock, _text
from .report import issued_recommendation_ids, latest_report

# --- the hub's response and the region's sign-off -------------------------------------------


@transaction.atomic
def response_submit(
    *, by, review: PeerReview, version: int, summary: str, actions: dict[int, str]
) -> PeerReview:
    """Hub staff answer the report: an action for every recommendation in it."""
    current = _lock(review, version, ["status", "response_summary"])
    _expect(current, PeerReview.Status.REPORT_ISSUED, doing="respond")
    report = latest_report(current)
    # Named as issued: during a correction the live title may be the panel's draft.
    titles = {r["id"]: r["title"] for r in report.content["recommendations"]} if report else {}
    issued = ReviewRecommendation.objects.filter(pk__in=titles, archived=False).select_for_update()
    for rec in issued:
        if not _text(actions.get(rec.pk)):
            title = titles.get(rec.pk, rec.title)
            raise ReviewError(f"Give the hub's action for “{title}”.", field=f"action_{rec.pk}")
    for rec in issued:
        rec.hub_action = _text(actions[rec.pk])
        if rec.status == ReviewRecommendation.Status.OPEN:
            rec.status = ReviewRecommendation.Status.IN_PROGRESS
        save_versioned(rec, by=by, fields=["hub_action", "status"])
    current.status = PeerReview.Status.RESPONDED
    current.response_summary = _text(summary)
    current.responded_at, current.responded_by = timezone.now(), by
    save_versioned(
        current, by=by, fields=["status", "response_summary", "responded_at", "responded_by"]
    )
    audit.record(actor=by, verb=Event.RESPONDED, target=current)
    return current


@transaction.atomic
def response_sign_off(*, by, review: PeerReview, version: int, note: str = "") -> PeerReview:
    current = _lock(review, version, ["status"])
    _expect(current, PeerReview.Status.RESPONDED, doing="sign off the response")
    current.status = PeerReview.Status.SIGNED_OFF
    current.signoff_note = _text(note)
    current.signed_off_at, current.signed_off_by = timezone.now(), by
    save_versioned(
        current, by=by, fields=["status", "signoff_note", "signed_off_at", "signed_off_by"]
    )
    audit.record(actor=by, verb=Event.SIGNED_OFF, target=current)
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
    save_versioned(current, by=by, fields=["status", "signoff_note"])
    audit.record(actor=by, verb=Event.RESPONSE_RETURNED, target=current, note=note)
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
    save_versioned(current, by=by, fields=["status", "closure_note", "closed_at"])
    audit.record(actor=by, verb=Event.RECOMMENDATION_PROGRESS, target=current.review, status=status)
    return current
