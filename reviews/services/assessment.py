"""Each reviewer's own assessment: a rating, evidence and comments per line of enquiry."""

from django.db import transaction
from django.utils import timezone

from commissioning import audit
from commissioning.concurrency import attribute_to, lock_version, save_versioned

from ..events import Event
from ..models import Assessment, LineRating, Rating, Reviewer
from ._base import ReviewError, _text

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
    if not review.open_for_ratings:
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
        attribute_to(row, by)
        row.save()
        existing[line_id] = row
    if submit:
        for line_id, line in lines.items():
            rated = existing.get(line_id)
            if rated is None or not rated.rating:
                raise ReviewError(
                    f"Rate “{line.title}” before you submit.", field=f"rating_{line_id}"
                )
            if not rated.evidence:
                raise ReviewError(
                    f"Give the evidence for your rating of “{line.title}”.",
                    field=f"evidence_{line_id}",
                )
        current.status = Assessment.Status.SUBMITTED
        current.submitted_at = timezone.now()
        save_versioned(current, by=by, fields=["status", "submitted_at"])
        audit.record(actor=by, verb=Event.ASSESSMENT_SUBMITTED, target=review)
    else:
        save_versioned(current, by=by, fields=[])
    return current
