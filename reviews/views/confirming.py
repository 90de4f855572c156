"""The check-your-answers page before the lead reviewer issues the report (issue 18, finding
1): once issued it is frozen and the hub reads it. GET on the issue address shows it; its
button posts to the same address (views.report.report_issue)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from commissioning.confirm import Gap, Row, confirm_page

from .. import selectors
from ..models import PeerReview, Rating
from ._common import _crumbs


def _gaps(review: PeerReview, first: bool) -> list[Gap]:
    """What stops the issue (the service refuses the same): reviews not yet submitted, and
    the overall rating and summary."""
    consolidate = reverse("reviews:consolidate", args=[review.pk])
    gaps = []
    if first:
        gaps += [
            Gap(
                f"{p.user.full_name} accepted a place but has not submitted their review.",
                f"{review.get_absolute_url()}#panel",
                f"See the panel for {p.user.full_name}",
            )
            for p in selectors.panel_of(review, assessments=True)
            if p.is_accepted and not (getattr(p, "assessment", None) and p.assessment.is_submitted)
        ]
    if not review.overall_rating:
        gaps.append(Gap("The overall rating is not given.", consolidate, "Give the rating"))
    if not review.summary.strip():
        gaps.append(Gap("The summary is not written.", consolidate, "Write the summary"))
    return gaps


def report_confirm(
    request: HttpRequest, review: PeerReview, form, *, status: int = 200
) -> HttpResponse:
    """`form` is the IssueForm: a correction asks its reason here; a first issue posts only
    the version."""
    first = review.status == PeerReview.Status.IN_REVIEW
    number = len(selectors.reports_of(review)) + 1
    findings = selectors.current_findings(review)
    recommendations = list(selectors.current_recommendations(review))
    gaps = _gaps(review, first)
    consolidate = reverse("reviews:consolidate", args=[review.pk])
    rows = [
        Row("Review", str(review)),
        Row(
            "Overall rating",
            Rating(review.overall_rating).label if review.overall_rating else "Not given yet",
            consolidate,
        ),
        Row("Summary", review.summary or "Not written yet", consolidate),
        Row("Findings and good practice", str(len(findings))),
        Row("Recommendations", str(len(recommendations))),
        Row("Report version", f"Version {number}{'' if first else ' (a correction)'}"),
    ]
    region = review.hub.region.name
    consequences = [
        f"The report is frozen as version {number}: its rating, summary, findings and "
        "recommendations change only through a correction, issued with its reason.",
        f"{review.hub.name}'s staff read it on the review's page and respond to its "
        f"recommendations; the {region} regional team signs off their response.",
    ]
    if not first:
        consequences.append("The hub keeps every version; the earlier one says it is superseded.")
    return confirm_page(
        request,
        title=(
            "Check the report before you issue it"
            if first
            else "Check the corrected report before you issue it"
        ),
        caption=str(review),
        rows=rows,
        gaps=gaps,
        gaps_heading="Not ready to issue",
        gaps_note="",
        consequences=consequences,
        button="Confirm and issue the report" if first else "Confirm and issue the correction",
        back_url=review.get_absolute_url(),
        back_label="Cancel and go back to the review",
        hidden={} if not first else {"version": form["version"].value()},
        form=None if first else form,
        blocked="The report cannot be issued until these are done." if gaps else "",
        breadcrumbs=_crumbs(review),
        status=status,
    )
