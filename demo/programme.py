"""Demo data for the joint programme of work (issue 17 part 4; seed 000 §3.6): the North East
and Cumbria group's 2015/16 included priority "Two arterial centres for vascular surgery" (in
Internal Medicine, naming no CRG) overlaps the year's Internal Medicine national reviews; the
national team has agreed the way forward for the congenital heart disease review (the local
priority proceeds) and not yet for the renal dialysis review. Idempotent."""

from accounts.models import User
from national.models import ServiceReview
from priorities import services as plans
from priorities.models import OverlapDecision, Proposal

RATIONALE = (
    "Vascular surgery is outside the congenital heart disease review's scope: the two arterial"
    " centres proceed locally, and the hub shares their outcome data with the national review."
)


def demo_programme_load(people: dict[str, User]) -> None:
    if OverlapDecision.objects.exists():
        return
    priority = (
        Proposal.objects.filter(
            plan__year=2015,
            plan__group__hub__slug="north-east-and-cumbria",
            title="Two arterial centres for vascular surgery",
            status=Proposal.Status.INCLUDED,
        )
        .select_related("plan", "crg")
        .first()
    )
    review = ServiceReview.objects.filter(
        year=2015, title="Congenital heart disease services"
    ).first()
    if priority is None or review is None:
        return
    plans.overlap_agree(
        by=people["national.admin@example.nhs.uk"],
        proposal=priority,
        review=review,
        way_forward=OverlapDecision.WayForward.PROCEEDS,
        rationale=RATIONALE,
    )
