"""Pages of the organisation register. Every signed-in user may read it."""

import datetime
from collections import OrderedDict

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from commissioning.audit import events_for
from commissioning.pagecache import per_session

from . import selectors
from .forms import CCGSearchForm, as_at
from .models import Hub, Region
from .querysets import hubs_with_counts

# The day before the 2015 mergers: the footprint the seed describes (211 CCGs).
FOOTPRINT_DAY = datetime.date(2015, 3, 31)


def _crumbs(*pairs: tuple[str, str]) -> list[dict]:
    return [{"label": label, "url": url} for label, url in pairs]


@login_required
@per_session
def overview(request: HttpRequest) -> HttpResponse:
    day, form = as_at(request)
    regions: OrderedDict[Region, list[Hub]] = OrderedDict()
    for hub in hubs_with_counts(day):
        regions.setdefault(hub.region, []).append(hub)
    totals = selectors.ccg_totals(day, FOOTPRINT_DAY)
    return render(
        request,
        "hubs/overview.html",
        {
            "day": day,
            "form": form,
            "regions": [
                {"region": r, "hubs": hubs, "ccg_count": sum(h.ccg_count for h in hubs)}
                for r, hubs in regions.items()
            ],
            "hub_count": sum(len(h) for h in regions.values()),
            "totals": totals,
            "footprint_day": FOOTPRINT_DAY,
            "programmes": selectors.programmes(),
        },
    )


@login_required
def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = selectors.region_by_slug(slug)
    day, form = as_at(request)
    hubs = list(hubs_with_counts(day).filter(region=region))
    return render(
        request,
        "hubs/region_detail.html",
        {
            "region": region,
            "hubs": hubs,
            "ccg_count": sum(h.ccg_count for h in hubs),
            "day": day,
            "form": form,
            "breadcrumbs": _crumbs(("England", reverse("hubs:overview"))),
        },
    )


@login_required
def ccg_detail(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_by_code(ods_code)
    return render(
        request,
        "hubs/ccg_detail.html",
        {
            "ccg": ccg,
            "today": timezone.localdate(),
            "systems": selectors.systems_of(ccg),
            "history": ccg.history.select_related("history_user")[:20],
            "events": events_for(ccg)[:20],
            "breadcrumbs": _crumbs(
                ("England", reverse("hubs:overview")),
                (ccg.hub.region.name, ccg.hub.region.get_absolute_url()),
                (ccg.hub.name, ccg.hub.get_absolute_url()),
            ),
        },
    )


@login_required
def ccg_list(request: HttpRequest) -> HttpResponse:
    form = CCGSearchForm(request.GET or None)
    day = form.day() if form.is_bound else timezone.localdate()
    ccgs = selectors.ccgs()
    hub = None
    if form.is_valid():
        hub = form.cleaned_data["hub"]  # one hub's organisations, from its page (issue 20)
        if hub is not None:
            ccgs = ccgs.filter(hub=hub)
        ccgs = ccgs.search(form.cleaned_data["q"])
        if not form.cleaned_data["include_closed"]:
            ccgs = ccgs.valid_on(day)
    else:
        ccgs = ccgs.valid_on(day)
    page = Paginator(ccgs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = (
        "hubs/_ccg_results.html" if request.headers.get("HX-Request") else "hubs/ccg_list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "day": day,
            "hub": hub,
            "query": query.urlencode(),
            "breadcrumbs": _crumbs(("England", reverse("hubs:overview"))),
        },
    )


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "hubs/programme_list.html",
        {
            "programmes": selectors.programmes(),
            "breadcrumbs": _crumbs(("England", reverse("hubs:overview"))),
        },
    )
