"""The answer reviews gives priorities' assurance question (priorities.assurance): the first
peer review report issued on a frozen plan version, for the plan's own hub and year. Registered
from ReviewsConfig.ready(), since priorities (below) never imports reviews."""

from django.db.models import F
from django.utils import timezone

from priorities.assurance import IssuedReport
from priorities.models import PlanVersion

from .models import ReviewCycle, ReviewReport


def first_report_on(version: PlanVersion) -> IssuedReport | None:
    """The newest issued report of the first-cycle review that read `version` (one query)."""
    report = (
        ReviewReport.objects.filter(
            review__plan_version=version,
            review__cycle__kind=ReviewCycle.Kind.FIRST,
            review__cycle__year=F("review__plan_version__plan__year"),
            review__hub=F("review__plan_version__plan__group__hub"),
        )
        .select_related("review__cycle", "review__hub")
        .order_by("-number")
        .first()
    )
    if report is None:
        return None
    return IssuedReport(
        title=str(report.review),
        number=report.number,
        issued_on=timezone.localdate(report.issued_at),
        url=report.get_absolute_url(),
    )
