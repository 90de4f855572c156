"""My work's next jobs (issue 18, finding 6): for each role, the one or two things to do next,
with a link straight to each — a CCG or ICB lead's current plan and its own proposals, hub
staff's next step on their plan, a regional team's peer reviews (the panel to form first) and
plans to assure. The product adds this summary; the steps are the seeds' (seed 000: the plan
is submitted for peer review, assured by the region, published; the region forms each panel).

A fixed number of queries, whatever the number of plans, proposals or reviews."""

from dataclasses import dataclass, field

from django.urls import reverse

from priorities.models import PrioritiesPlan, Proposal
from reviews.models import PeerReview

from . import selectors


@dataclass(frozen=True)
class Job:
    label: str
    url: str
    detail: str = ""
    # Items under the job (a lead's own proposals): (label, url, state).
    items: tuple = field(default=())


def _plan_job(plan: PrioritiesPlan) -> Job:
    """Hub staff's next step on their group's latest plan (counts from selectors.latest_plans)."""
    url = plan.get_absolute_url()
    n = getattr(plan, "awaiting_count", 0)
    if plan.is_editable and n:
        return Job(
            f"Score and decide {n} submitted proposal{'s' if n != 1 else ''}",
            f"{url}#score",
            f"Priorities plan {plan.year_label}, draft",
        )
    if plan.is_editable and not getattr(plan, "proposal_count", 0):
        return Job(
            f"Priorities plan {plan.year_label}: no proposals yet",
            url,
            "Members propose priorities from the plan's page; you may propose too.",
        )
    if plan.is_editable:
        return Job(
            f"Submit the {plan.year_label} plan for peer review",
            url,
            "When the plan's sections are written and its proposals decided.",
        )
    if plan.awaits_assurance:
        return Job(
            f"Priorities plan {plan.year_label}",
            url,
            "Submitted for peer review: the regional team assures it.",
        )
    if plan.may_be_published:
        return Job(f"Publish the {plan.year_label} plan", url, "Assured by the regional team.")
    return Job(
        f"Follow delivery of the {plan.year_label} priorities",
        reverse("priorities:plan-dashboard", args=[plan.pk]),
        "The plan is published.",
    )


def _review_job(review: PeerReview) -> Job:
    """A regional team's next step on one of its peer reviews."""
    hub, url = review.hub.name, review.get_absolute_url()
    count = getattr(review, "accepted_count", 0)  # from selectors.region_reviews
    accepted = f"{count} reviewer{'s' if count != 1 else ''}"
    if review.may_invite:
        return Job(f"Invite the peer review of {hub}", url, f"{review.cycle}: the hub is ready.")
    if review.may_start:
        return Job(
            f"Form the panel for {hub}'s peer review",
            reverse("reviews:panel", args=[review.pk]),
            f"{review.cycle}: {accepted} accepted so far.",
        )
    if review.awaiting_sign_off:
        return Job(f"Sign off {hub}'s response", url, str(review.cycle))
    return Job(f"Peer review of {hub}", url, f"{review.cycle}: {review.get_status_display()}.")


class NextJobs:
    """The next jobs of every role a person holds, read once for the whole page."""

    def __init__(self, user, user_scopes, open_groups: dict):
        self.groups = open_groups  # hub id → the open group the person reads
        hub_ids = set(user_scopes.hub_ids) | {
            a.ccg.hub_id for a in user_scopes.assignments if a.ccg is not None
        }
        self.plans = (  # hub id → its latest plan the person reads
            selectors.latest_plans(user, hub_ids=hub_ids, region_ids=user_scopes.region_ids)
            if hub_ids or user_scopes.region_ids
            else {}
        )
        self.proposals: list[Proposal] = (
            selectors.ccg_proposals([p.pk for p in self.plans.values()], user_scopes.ccg_ids)
            if user_scopes.ccg_ids and self.plans
            else []
        )
        self.reviews = (
            selectors.region_reviews(user_scopes.region_ids) if user_scopes.region_ids else []
        )

    def for_ccg(self, ccg) -> list[Job]:
        plan = self.plans.get(ccg.hub_id)
        if plan is None:
            return []
        own = tuple(
            (p.title, p.get_absolute_url(), p.get_status_display())
            for p in self.proposals
            if p.plan_id == plan.pk and p.ccg_id == ccg.pk
        )
        detail = (
            "Propose priorities from the plan's page until it is submitted for peer review."
            if plan.is_editable
            else plan.get_status_display()
        )
        label = f"Priorities plan {plan.year_label}"
        return [Job(label, plan.get_absolute_url(), detail, own)]

    def for_hub(self, hub_id: int) -> list[Job]:
        plan = self.plans.get(hub_id)
        if plan is not None:
            return [_plan_job(plan)]
        group = self.groups.get(hub_id)
        if group is None or group.is_board:
            return []
        return [
            Job(
                "Start this year's priorities plan",
                reverse("priorities:plan-list", args=[group.pk]),
                group.name,
            )
        ]

    def for_region(self, region_id: int) -> list[Job]:
        reviews = [r for r in self.reviews if r.hub.region_id == region_id]
        # The panel to form comes first: nothing else moves until it does.
        reviews.sort(key=lambda r: (not r.may_start, not r.may_invite))
        jobs = [_review_job(r) for r in reviews]
        for plan in self.plans.values():
            if plan.awaits_assurance and plan.group.hub.region_id == region_id:
                jobs.append(
                    Job(
                        f"Assure {plan.group.hub.name}'s {plan.year_label} plan",
                        reverse("priorities:plan-assure", args=[plan.pk]),
                        "Submitted for peer review.",
                    )
                )
        return jobs
