"""The check-your-answers pages before the plan's irreversible steps (issue 18, finding 1):
submitting for peer review and publishing each freeze a version. GET on the step's address
shows what will be frozen, what is still incomplete (with a link to fix each) and what will
happen; the page's button posts to the same address (views.plans.plan_move)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from commissioning.confirm import Gap, Row, confirm_page
from commissioning.dates import nhs_date

from .. import selectors
from ..models import PrioritiesPlan, Proposal
from .common import crumbs

SECTION_LABELS = {
    "context": "Context",
    "delivery_arrangements": "Delivery arrangements",
    "finance": "Finance (QIPP)",
    "risks": "Risks",
}
S = Proposal.Status


def _money(value) -> str:
    return f"£{value:,.0f}"


def _proposal_gaps(check: selectors.PlanCheck) -> list[Gap]:
    gaps = []
    for p in check.proposals:
        name = f"“{p.title}” ({p.ccg.name if p.ccg else 'hub staff'})"
        url = p.get_absolute_url()
        if p.status == S.DRAFT:
            gaps.append(Gap(f"{name} is still a draft: it will not be in the plan.", url,
                            f"Open {p.title}"))  # fmt: skip
        elif p.status == S.INFO_REQUESTED:
            gaps.append(Gap(f"{name} is awaiting more information from its proposer.", url,
                            f"Open {p.title}"))  # fmt: skip
        elif p.status == S.SUBMITTED:
            gaps.append(Gap(f"{name} is submitted but not decided.", url, f"Decide {p.title}"))
        if check.scoring and p.status != S.DRAFT and p.pk in check.unscored:
            gaps.append(Gap(f"{name} is not scored.",
                            reverse("priorities:proposal-score", args=[p.pk]),
                            f"Score {p.title}"))  # fmt: skip
    return gaps


def _lower(label: str) -> str:
    """ "Finance (QIPP)" → "finance (QIPP)": the first letter only, acronyms kept."""
    return label[0].lower() + label[1:]


def _section_gaps(plan: PrioritiesPlan) -> list[Gap]:
    edit = reverse("priorities:plan-edit", args=[plan.pk])
    return [
        Gap(f"The plan's {_lower(label)} section is not written.", edit, f"Write {_lower(label)}")
        for field, label in SECTION_LABELS.items()
        if not getattr(plan, field).strip()
    ]


def plan_confirm(request: HttpRequest, plan: PrioritiesPlan, step: str) -> HttpResponse:
    """The confirm page of `step` ("submit" or "publish")."""
    check = selectors.plan_check(plan)
    included = [p for p in check.proposals if p.status == S.INCLUDED]
    counts: dict[str, int] = {}
    for p in check.proposals:
        label = p.get_status_display().lower()
        counts[label] = counts.get(label, 0) + 1
    region = plan.group.hub.region.name
    rows = [
        Row("Plan", str(plan)),
        Row("Oversight group", plan.group.name),
        Row(
            "Agreed priorities",
            f"{len(included)} included, QIPP savings "
            f"{_money(sum(p.qipp_savings for p in included))}",
        ),
        Row(
            "Proposals",
            "; ".join(f"{n} {label}" for label, n in counts.items()) or "None",
        ),
        Row(
            "Sections written",
            f"{sum(1 for f in SECTION_LABELS if getattr(plan, f).strip())} of "
            f"{len(SECTION_LABELS)}",
            reverse("priorities:plan-edit", args=[plan.pk]) if plan.is_editable else "",
        ),
        Row(
            "Version to be frozen",
            f"Version {check.next_version}, today ({nhs_date(timezone.localdate())})",
        ),
    ]
    if step == "submit":
        title, button = (
            "Check the plan before you submit it for peer review",
            ("Confirm and submit for peer review"),
        )
        gaps = [*_proposal_gaps(check), *_section_gaps(plan)]
        consequences = [
            f"The plan as it stands is frozen as version {check.next_version}: the peer "
            "review panel reads that version.",
            "The plan can no longer be changed, and it takes no new proposals or decisions, "
            "until the hub's staff return it to draft (Reopen the plan, with a reason).",
            f"The {region} regional team sees it waiting for assurance on this plan's page; "
            "the planning timeline marks the plan submitted. Nobody is emailed.",
        ]
    else:
        title, button = "Check the plan before you publish it", "Confirm and publish the plan"
        gaps = _section_gaps(plan)
        consequences = [
            f"The plan is frozen as version {check.next_version} and published: everyone who "
            "reads the group's plans sees it, and its PDF is made once.",
            "It takes no new proposals: next year's go into next year's plan.",
            "To change it later the hub's staff reopen it with a reason; the published version "
            "stays as it was.",
        ]
    return confirm_page(
        request,
        title=title,
        caption=plan.group.name,
        rows=rows,
        gaps=gaps,
        gaps_heading="Not complete yet",
        gaps_note="You can still go on: nothing here stops the step, but fix what you can first.",
        consequences=consequences,
        button=button,
        back_url=plan.get_absolute_url(),
        back_label="Cancel and go back to the plan",
        hidden={"version": plan.version},
        breadcrumbs=crumbs(plan),
    )
