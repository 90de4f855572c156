"""The lead's report: consolidation, findings, recommendations, and issuing it."""

import datetime

from django.db import transaction

from commissioning import audit
from commissioning.concurrency import attribute_to, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import StateConflict

from ..events import Event
from ..models import (
    Assessment,
    Finding,
    PeerReview,
    Rating,
    Reviewer,
    ReviewRecommendation,
    ReviewReport,
)
from ._base import ReviewError, _lock, _text

# --- the lead's report ----------------------------------------------------------------------


def _lead_can_write(review: PeerReview) -> None:
    if not review.report_open:
        raise ReviewError(
            f"The review is {review.get_status_display().lower()}: the report cannot change now."
        )


def _text_can_change(review: PeerReview, noun: str) -> None:
    """An issued report is frozen: its overall rating, summary, findings and recommendations
    change only through a correction (started, then issued as a new version with its reason)."""
    _lead_can_write(review)
    if not review.text_open:
        raise StateConflict(f"The report has been issued: correct it to change {noun}.")


@transaction.atomic
def correction_start(*, by, review: PeerReview, version: int) -> PeerReview:
    """The lead reopens an issued report's findings and recommendations for a correction, which
    ends when the corrected version is issued with its reason (README: corrections)."""
    current = _lock(review, version, ["status", "correcting"])
    _lead_can_write(current)
    if current.status == PeerReview.Status.IN_REVIEW:
        raise StateConflict("The report has not been issued: change it directly.")
    if current.correcting:
        raise StateConflict("A correction of this report is already in progress.")
    current.correcting = True
    save_versioned(current, by=by, fields=["correcting"])
    audit.record(actor=by, verb=Event.CORRECTION_STARTED, target=current)
    return current


@transaction.atomic
def review_consolidate(
    *, by, review: PeerReview, version: int, overall_rating: str, summary: str
) -> PeerReview:
    current = _lock(review, version, ["overall_rating", "summary"])
    _text_can_change(current, "its overall rating or summary")
    if overall_rating and overall_rating not in Rating.values:
        raise ReviewError(
            "Choose assured, partially assured or not assured.", field="overall_rating"
        )
    current.overall_rating = overall_rating or ""
    current.summary = _text(summary)
    save_versioned(current, by=by, fields=["overall_rating", "summary"])
    audit.record(actor=by, verb=Event.CONSOLIDATED, target=current)
    return current


FINDING_FIELDS = ["kind", "title", "detail", "theme", "programme_of_care", "shareable"]


def _check_finding(fields: dict) -> None:
    if not _text(fields.get("title")):
        raise ReviewError("Give the finding a title.", field="title")
    if not _text(fields.get("detail")):
        raise ReviewError("Describe the finding.", field="detail")


@transaction.atomic
def finding_add(*, by, review: PeerReview, **fields) -> Finding:
    _text_can_change(review, "this finding")
    _check_finding(fields)
    finding = Finding(review=review, **{k: fields[k] for k in FINDING_FIELDS if k in fields})
    attribute_to(finding, by)
    finding.save()
    audit.record(actor=by, verb=Event.FINDING_ADDED, target=review, title=finding.title)
    return finding


@transaction.atomic
def finding_update(*, by, finding: Finding, version: int, **fields) -> Finding:
    current = lock_version(Finding, finding.pk, version, FINDING_FIELDS)
    _text_can_change(current.review, "this finding")
    _check_finding({**{f: getattr(current, f) for f in FINDING_FIELDS}, **fields})
    changed = [f for f in FINDING_FIELDS if f in fields and getattr(current, f) != fields[f]]
    for name in changed:
        setattr(current, name, fields[name])
    save_versioned(current, by=by, fields=changed)
    audit.record(actor=by, verb=Event.FINDING_UPDATED, target=current.review, fields=changed)
    return current


@transaction.atomic
def finding_archive(*, by, finding: Finding, version: int) -> Finding:
    current = lock_version(Finding, finding.pk, version, ["archived"])
    _text_can_change(current.review, "this finding")
    current.archived = True
    save_versioned(current, by=by, fields=["archived"])
    audit.record(actor=by, verb=Event.FINDING_ARCHIVED, target=current.review, title=current.title)
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
            f"Set a due date by {nhs_date(year_end)}, within the following year's cycle.",
            field="due_date",
        )


@transaction.atomic
def recommendation_add(*, by, review: PeerReview, **fields) -> ReviewRecommendation:
    _text_can_change(review, "this recommendation")
    _check_recommendation(review, fields)
    rec = ReviewRecommendation(
        review=review, **{k: fields[k] for k in RECOMMENDATION_FIELDS if k in fields}
    )
    rec.title, rec.owner, rec.detail = _text(rec.title), _text(rec.owner), _text(rec.detail)
    attribute_to(rec, by)
    rec.save()
    audit.record(actor=by, verb=Event.RECOMMENDATION_ADDED, target=review, title=rec.title)
    return rec


@transaction.atomic
def recommendation_update(
    *, by, recommendation: ReviewRecommendation, version: int, **fields
) -> ReviewRecommendation:
    current = lock_version(ReviewRecommendation, recommendation.pk, version, RECOMMENDATION_FIELDS)
    _text_can_change(current.review, "this recommendation")
    _check_recommendation(
        current.review, {**{f: getattr(current, f) for f in RECOMMENDATION_FIELDS}, **fields}
    )
    changed = [f for f in RECOMMENDATION_FIELDS if f in fields and getattr(current, f) != fields[f]]
    for name in changed:
        setattr(current, name, fields[name])
    save_versioned(current, by=by, fields=changed)
    audit.record(actor=by, verb=Event.RECOMMENDATION_UPDATED, target=current.review, fields=changed)
    return current


@transaction.atomic
def recommendation_archive(
    *, by, recommendation: ReviewRecommendation, version: int
) -> ReviewRecommendation:
    current = lock_version(ReviewRecommendation, recommendation.pk, version, ["archived"])
    _text_can_change(current.review, "this recommendation")
    current.archived = True
    save_versioned(current, by=by, fields=["archived"])
    audit.record(
        actor=by,
        verb=Event.RECOMMENDATION_ARCHIVED,
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
    current = _lock(review, version, ["status", "overall_rating", "summary", "correcting"])
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
    current.correcting = False
    if first:
        current.status = PeerReview.Status.REPORT_ISSUED
    save_versioned(current, by=by, fields=["status", "correcting"])
    audit.record(
        actor=by,
        verb=Event.REPORT_ISSUED if first else Event.REPORT_CORRECTED,
        target=current,
        number=number,
        reason=reason,
    )
    return report


def latest_report(review: PeerReview) -> ReviewReport | None:
    return review.reports.order_by("-number").first()


def issued_recommendation_ids(review: PeerReview) -> set[int]:
    report = latest_report(review)
    return {r["id"] for r in report.content["recommendations"]} if report else set()
