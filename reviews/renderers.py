"""The PDF export this app owns, registered with `exports` from the app's ready()."""

from django.utils.text import slugify

from exports.renderers import ExportParamsError, Rendered

from .models import ReviewReport


def review_report(params: dict) -> Rendered:
    report = (
        ReviewReport.objects.select_related("review__hub", "review__cycle", "issued_by")
        .filter(pk=params.get("report"))
        .first()
    )
    if report is None:
        raise ExportParamsError(f"No report {params.get('report')}.")
    review = report.review
    findings = report.content.get("findings") or []
    name = f"{slugify(review.hub.name)}-peer-review-{review.cycle.year}-{review.cycle.kind}"
    return (
        f"{name}-v{report.number}.pdf",
        "pdf/review_report.html",
        {
            "report": report,
            "review": review,
            "content": report.content,
            # Split here, so that an empty section can say so (issue 18: an empty table read
            # as a fault).
            "findings": [f for f in findings if f.get("kind") == "finding"],
            "good_practice": [f for f in findings if f.get("kind") == "good_practice"],
        },
    )
