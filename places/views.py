"""Integrated care systems in the register (issue 16, "What to build" 1): the list and each
system's page on a date (its places and the commissioners in each that day, and its whole
history), and the national admins' forms that keep them."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from commissioning.views import form_page
from hubs.forms import as_at
from hubs.permissions import can_view_register

from . import forms, selectors, services
from .permissions import (
    can_keep_systems,
    follows_system,
    get_member,
    get_system,
    require_keeper,
)


def _crumbs(system=None) -> list[dict]:
    crumbs = [
        {"label": "Organisation register", "url": reverse("hubs:overview")},
        {"label": "Integrated care systems", "url": reverse("places:system-list")},
    ]
    if system is not None:
        crumbs.append({"label": system.name, "url": system.get_absolute_url()})
    return crumbs


@login_required
def system_list(request: HttpRequest) -> HttpResponse:
    if not can_view_register(request.user):
        raise PermissionDenied("Sign in to read the register.")
    day, form = as_at(request)
    return render(
        request,
        "places/system_list.html",
        {
            "day": day,
            "form": form,
            "systems": list(selectors.systems_on(day)),
            "can_keep": can_keep_systems(request.user),
            "breadcrumbs": _crumbs()[:1],
        },
    )


@login_required
def system_detail(request: HttpRequest, pk: int) -> HttpResponse:
    system = get_system(request.user, pk)
    day, form = as_at(request)
    follows = follows_system(request.user, system)
    return render(
        request,
        "places/system_detail.html",
        {
            "system": system,
            "day": day,
            "form": form,
            "open_on_day": system.is_valid_on(day),
            "can_keep": can_keep_systems(request.user),
            "follows": follows,
            "boards": selectors.boards_of(request.user, system) if follows else [],
            **selectors.system_page(system, day),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def system_create(request: HttpRequest) -> HttpResponse:
    require_keeper(request.user)
    return form_page(
        request,
        forms.SystemForm(request.POST or None, initial={"kind": "ics"}),
        title="Add a system",
        breadcrumbs=_crumbs(),
        save=lambda **data: services.system_create(by=request.user, **data),
        success_url=reverse("places:system-list"),
        message="System added. Add its places and commissioners from its page.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def system_edit(request: HttpRequest, pk: int) -> HttpResponse:
    system = get_system(request.user, pk, write=True)
    initial = {f: getattr(system, f) for f in services.SYSTEM_FIELDS}
    initial.update(hub=system.hub.slug, version=system.version)
    return form_page(
        request,
        forms.SystemEditForm(request.POST or None, initial=initial),
        title=f"Change {system.name}",
        breadcrumbs=_crumbs(system),
        save=lambda **data: services.system_update(by=request.user, system=system, **data),
        success_url=system.get_absolute_url(),
        message="System saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def place_create(request: HttpRequest, pk: int) -> HttpResponse:
    system = get_system(request.user, pk, write=True)
    return form_page(
        request,
        forms.PlaceForm(request.POST or None, initial={"valid_from": system.valid_from}),
        title=f"Add a place to {system.name}",
        breadcrumbs=_crumbs(system),
        save=lambda **data: services.place_add(by=request.user, system=system, **data),
        success_url=system.get_absolute_url(),
        message="Place added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    system = get_system(request.user, pk, write=True)
    return form_page(
        request,
        forms.MemberForm(
            request.POST or None, system=system, initial={"valid_from": timezone.localdate()}
        ),
        title=f"Add a commissioner to {system.name}",
        breadcrumbs=_crumbs(system),
        save=lambda **data: services.member_add(by=request.user, system=system, **data),
        success_url=system.get_absolute_url(),
        message="Commissioner added to the system.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member(request.user, pk)
    return form_page(
        request,
        forms.MemberEndForm(request.POST or None),
        title=f"{member.commissioner.name} leaves {member.system.name}",
        breadcrumbs=_crumbs(member.system),
        save=lambda **data: services.member_end(by=request.user, member=member, **data),
        success_url=member.system.get_absolute_url(),
        message="The commissioner's place in the system is ended; the record is kept.",
    )
