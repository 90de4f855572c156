"""Pages: the cycles, a cycle's status board, a hub's readiness, and the learning library."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from commissioning.errors import RuleError
from commissioning.forms import apply_error
from commissioning.pagecache import per_session
from commissioning.views import form_page

from .. import issued, library, selectors, services
from ..forms import CycleForm, LearningSearchForm, ReadinessForm
from ..permissions import (
    can_run_cycles,
    get_cycle_for_user,
    get_hub_for_user,
    require_cycle_runner,
    require_hub_staff,
    staffs_hub,
)
from ._common import _crumbs


@login_required
def index(request: HttpRequest) -> HttpResponse:
    cycles = selectors.cycles_with_review_counts()
    places = selectors.places_of(request.user)
    return render(
        request,
        "reviews/index.html",
        {
            "cycles": cycles,
            "places": places,
            "can_run_cycles": can_run_cycles(request.user),
            "follows_hubs": selectors.hubs_on_board(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    require_cycle_runner(request.user)
    form = CycleForm(request.POST or None)
    created = {}

    def save(**data):
        created["cycle"] = services.cycle_create(by=request.user, **data)

    response = form_page(
        request,
        form,
        title="Start a peer review cycle",
        caption="Peer reviews",
        save=save,
        success_url=reverse("reviews:index"),
        message="Cycle started with the default lines of enquiry.",
        breadcrumbs=[{"label": "Peer reviews", "url": reverse("reviews:index")}],
    )
    if "cycle" in created:
        return redirect(created["cycle"])
    return response


@login_required
@per_session
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's status board for the hubs the user follows (their region, their hub, or
    every hub for national admins)."""
    cycle = get_cycle_for_user(request.user, pk, lines=True)
    rows = selectors.board_rows(request.user, cycle, timezone.localdate())
    return render(
        request,
        "reviews/cycle_detail.html",
        {
            "cycle": cycle,
            "rows": rows,
            "breadcrumbs": [{"label": "Peer reviews", "url": reverse("reviews:index")}],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def readiness(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The hub's readiness checklist for the cycle; its staff declare readiness here."""
    cycle = get_cycle_for_user(request.user, pk)
    hub = get_hub_for_user(request.user, slug)
    review = selectors.review_of_hub(cycle, hub)
    own = staffs_hub(request.user, hub)
    form = ReadinessForm(request.POST or None)
    if request.method == "POST":
        require_hub_staff(request.user, hub)
        if form.is_valid():
            try:
                review = services.review_declare_ready(
                    by=request.user, cycle=cycle, hub=hub, note=form.cleaned_data["note"]
                )
            except RuleError as error:
                apply_error(form, error)
            else:
                messages.success(
                    request, "Readiness declared. The regional team can now invite the review."
                )
                return redirect(review)
    return render(
        request,
        "reviews/readiness.html",
        {
            "cycle": cycle,
            "hub": hub,
            "review": review,
            "checks": services.readiness_for(hub, cycle.year),
            "form": form if own and review is None else None,
            "breadcrumbs": _crumbs(cycle=cycle),
        },
    )


LEARNING_PAGE_SIZE = 50


@login_required
def learning(request: HttpRequest) -> HttpResponse:
    """Good practice and findings marked shareable in issued reports, for every hub, newest
    cycle first, 50 to a page (the search is kept from page to page)."""
    form = LearningSearchForm(request.GET or None)
    search = (
        {
            "q": form.cleaned_data["q"],
            "programme_of_care": form.cleaned_data["programme_of_care"],
        }
        if form.is_valid()
        else {}
    )
    theme = form.cleaned_data["theme"] if form.is_valid() else ""
    findings = selectors.learning_findings(theme=theme, **search)
    page = Paginator(findings, LEARNING_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = issued.as_read(None, page.object_list)  # every hub reads it as issued
    query = request.GET.copy()
    query.pop("page", None)
    # Learning shared from other apps (evaluations of priorities: issue 17), on the first page;
    # the themes above are the peer reviews', so those sections are searched by words and PoC.
    others = library.sections(request.user, **search) if page.number == 1 else []
    return render(
        request,
        "reviews/learning.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "sections": others,
            "theme_chosen": bool(theme),
            "breadcrumbs": [{"label": "Peer reviews", "url": reverse("reviews:index")}],
        },
    )
