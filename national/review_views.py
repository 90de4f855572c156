"""National service reviews' pages (issue 17, "What to build" 4; seed 000 §3.6): a financial
year's reviews for everyone signed in, and the forms national admins record and change them
with (archived, never deleted). The joint programme of work that sets them beside the hubs'
included priorities is the priorities app's (priorities.views.programme)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from commissioning.dates import financial_year_label
from commissioning.views import form_page

from . import forms, selectors, service_reviews
from .permissions import (
    can_keep_national,
    get_service_review_for_user,
    require_keeper,
    require_reader,
)


def _list_url(year: int) -> str:
    return f"{reverse('national:service-reviews')}?year={year}"


def _crumbs(year: int | None = None) -> list[dict]:
    crumbs = [{"label": "National structures", "url": reverse("national:index")}]
    if year is not None:
        crumbs.append({"label": "National service reviews", "url": _list_url(year)})
    return crumbs


def _year(request: HttpRequest, default: int, data=None) -> int:
    try:
        year = int((data if data is not None else request.GET).get("year", default))
    except ValueError:
        return default
    return year if 2013 <= year <= 2100 else default


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """A year's national service reviews (`?year=2015` for 2015/16; this financial year by
    default), with its archived ones apart."""
    require_reader(request.user)
    this_year = selectors.current_financial_year(timezone.localdate())
    year = _year(request, this_year)
    years = sorted(selectors.service_review_years() | {this_year, year})
    return render(
        request,
        "national/service_review_list.html",
        {
            "year": year,
            "year_label": financial_year_label(year),
            "years": [(y, financial_year_label(y)) for y in years],
            "reviews": list(selectors.service_reviews(year)),
            "archived": list(selectors.service_reviews(year, archived=True)),
            "can_keep": can_keep_national(request.user),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest) -> HttpResponse:
    require_keeper(request.user)
    this_year = selectors.current_financial_year(timezone.localdate())
    year = _year(request, this_year)
    form = forms.ServiceReviewForm(
        request.POST or None, initial={"year": year, "status": "planned"}
    )
    return form_page(
        request,
        form,
        title="Record a national service review",
        caption="National service reviews",
        intro=[
            "NHS England reviews nationally only the services that make sense to review at a"
            " national level (subsidiarity). The review is set beside the hubs' included"
            " priorities of its year in the joint programme of work."
        ],
        breadcrumbs=_crumbs(year),
        save=lambda **data: service_reviews.service_review_add(by=request.user, **data),
        success_url=_list_url(_year(request, year, request.POST)),
        message="National service review recorded.",
        submit_label="Record the review",
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_service_review_for_user(request.user, pk, write=True)
    initial = {f: getattr(review, f) for f in service_reviews.REVIEW_FIELDS}
    initial.update(programme=review.programme.slug, crg=review.crg_id, version=review.version)
    return form_page(
        request,
        forms.ServiceReviewEditForm(request.POST or None, initial=initial),
        title=f"Change {review.title}",
        caption=f"National service review {review.year_label}",
        breadcrumbs=_crumbs(review.year),
        save=lambda **data: service_reviews.service_review_update(
            by=request.user, review=review, **data
        ),
        success_url=_list_url(review.year),
        message="National service review saved.",
    )
