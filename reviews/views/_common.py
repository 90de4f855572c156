"""What the peer-review pages share: breadcrumbs, one-button steps, and changing or
removing a finding or recommendation."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.views import form_page

from ..models import PeerReview, ReviewCycle


def _crumbs(review: PeerReview | None = None, cycle: ReviewCycle | None = None) -> list[dict]:
    cycle = cycle or review.cycle
    crumbs = [
        {"label": "Peer reviews", "url": reverse("reviews:index")},
        {"label": str(cycle), "url": cycle.get_absolute_url()},
    ]
    if review is not None:
        crumbs.append({"label": review.hub.name, "url": review.get_absolute_url()})
    return crumbs


def _refusal(request: HttpRequest, error: Exception) -> None:
    messages.error(request, getattr(error, "message", None) or str(error))


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", "0"))
    except ValueError:
        return 0


def _step(request: HttpRequest, review: PeerReview, service, message: str, **data) -> HttpResponse:
    try:
        service(by=request.user, review=review, version=_version(request), **data)
    except (RuleError, ConflictError) as error:
        _refusal(request, error)
    else:
        messages.success(request, message)
    return redirect(review)


def _change_or_remove(request, record, *, form_class, fields, update, archive, noun):
    """A finding or recommendation: change it (a form page), or remove it from the report
    (archived, kept in its history)."""
    review = record.review
    if request.method == "POST" and "archive" in request.POST:
        try:
            archive(version=_version(request))
        except (RuleError, ConflictError) as error:
            _refusal(request, error)
        else:
            messages.success(request, f"{noun} removed from the report (kept in its history).")
        return redirect(review)
    initial = {f: getattr(record, f) for f in fields}
    form = form_class(request.POST or None, initial={**initial, "version": record.version})
    return form_page(
        request,
        form,
        title=f"Change: {record.title}",
        caption=str(review),
        breadcrumbs=_crumbs(review),
        save=update,
        success_url=review.get_absolute_url(),
        message=f"{noun} saved.",
        archive_version=record.version,
    )
