"""The joint programme of work (issue 17, "What to build" 4; seed 000 §3.6): a financial year's
included priorities of every hub beside that year's national service reviews, the overlaps
flagged, and the form national admins record each overlap's agreed way forward with."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.permissions import scopes
from commissioning.dates import financial_year_label
from commissioning.pagecache import per_session
from commissioning.views import form_page

from .. import programme, services
from ..forms import WayForwardForm
from ..permissions import (
    can_agree_way_forward,
    own_hub_ids,
    require_programme_reader,
    require_way_forward_keeper,
)


@login_required
def joint_programme_now(request: HttpRequest) -> HttpResponse:
    """This financial year's joint programme."""
    require_programme_reader(request.user)
    today = timezone.localdate()
    return redirect(
        "priorities:joint-programme", year=today.year if today.month >= 4 else today.year - 1
    )


@login_required
@per_session
def joint_programme(request: HttpRequest, year: int) -> HttpResponse:
    require_programme_reader(request.user)
    if not programme.FIRST_YEAR <= year <= programme.LAST_YEAR:
        raise Http404("No such financial year.")
    data = programme.joint_programme(request.user, year, own_hub_ids=own_hub_ids(request.user))
    years = programme.programme_years(timezone.localdate())
    if year not in years:
        years = sorted([*years, year], reverse=True)
    return render(
        request,
        "priorities/joint_programme.html",
        {
            "programme": data,
            "year": year,
            "years": [(y, financial_year_label(y)) for y in sorted(years)],
            "can_agree": can_agree_way_forward(request.user),
            "own_label": "Your hub" if scopes(request.user).hub_ids else "Your region",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def way_forward(request: HttpRequest, proposal: int, review: int) -> HttpResponse:
    """Record or change the agreed way forward for one overlap (national admins)."""
    require_way_forward_keeper(request.user)
    priority, national_review = programme.overlap_pair(proposal, review)
    if priority is None or national_review is None:
        raise Http404("No such priority or national review.")
    decision = programme.decision_of(priority, national_review)
    initial = {"version": decision.version} if decision else {}
    if decision is not None:
        initial.update(way_forward=decision.way_forward, rationale=decision.rationale)
    overlapping = programme.is_overlap(priority, national_review)
    reason = programme.overlap_reason(priority, national_review) if overlapping else None
    hub = priority.plan.group.hub.name
    intro = [
        f"{hub}'s priority “{priority.title}” ({priority.plan.year_label} plan) and the national"
        f" review of {national_review.title} ({national_review.year_label}).",
        (
            f"Why they overlap: {reason[0].lower()}{reason[1:]},"
            f" {programme.Overlap(priority, national_review, reason, None).basis}."
            if reason
            else "They do not overlap: there is no way forward to agree."
        ),
    ]
    if decision is not None:
        intro.append(
            f"Agreed now: {decision.get_way_forward_display().lower()}. Saving changes it;"
            " the history keeps the earlier way forward."
        )
    back = reverse("priorities:joint-programme", args=[national_review.year]) + "#overlaps"
    label = f"Joint programme of work {national_review.year_label}"
    return form_page(
        request,
        WayForwardForm(request.POST or None, initial=initial),
        title="Agree the way forward",
        caption=label,
        intro=intro,
        breadcrumbs=[{"label": label, "url": back}],
        save=lambda **data: services.overlap_agree(
            by=request.user, proposal=priority, review=national_review, **data
        ),
        success_url=back,
        message="Way forward agreed.",
        submit_label="Save the way forward",
    )
