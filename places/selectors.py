"""Reads for the systems pages and API, each in a fixed number of queries."""

import datetime

from django.db.models import Count, Prefetch

from hubs.models import CCG, Hub, IntegratedCareSystem, Place, SystemMember
from hubs.querysets import valid_on_q
from oversight.models import OversightGroup
from oversight.permissions import groups_visible_to


def systems_on(day: datetime.date | None = None):
    """Every system (or those open on `day`), with its hub and region and, on `day`, how many
    places and commissioners it had."""
    systems = IntegratedCareSystem.objects.select_related("hub__region").order_by("name")
    if day is None:
        return systems
    return systems.filter(valid_on_q(day)).annotate(
        place_count=Count("places", filter=valid_on_q(day, "places__"), distinct=True),
        member_count=Count("members", filter=valid_on_q(day, "members__"), distinct=True),
    )


def system_page(system: IntegratedCareSystem, day: datetime.date) -> dict:
    """The system on `day`: its places, each with its commissioners, those in no place, and
    every membership it has ever had (its history), in two queries."""
    members = list(
        SystemMember.objects.filter(system=system)
        .select_related("commissioner", "place")
        .order_by("commissioner__name", "valid_from")
    )
    places = list(Place.objects.filter(system=system).order_by("name"))
    on_day = [m for m in members if m.is_valid_on(day)]
    rows = []
    for place in places:
        if place.is_valid_on(day):
            rows.append((place, [m for m in on_day if m.place_id == place.pk]))
    return {
        "places": rows,
        "unplaced": [m for m in on_day if m.place_id is None],
        "members": members,
    }


def systems_for_api(day: datetime.date | None = None):
    """Systems with their places and commissioners: all of them, or those of `day` only."""
    places = Place.objects.order_by("name")
    members = SystemMember.objects.select_related("commissioner", "place").order_by(
        "commissioner__name", "valid_from"
    )
    if day is not None:
        places, members = places.filter(valid_on_q(day)), members.filter(valid_on_q(day))
    return systems_on(day).prefetch_related(
        Prefetch("places", queryset=places), Prefetch("members", queryset=members)
    )


def hubs():
    return Hub.objects.order_by("name")


def commissioners():
    return CCG.objects.all()


def place_of(system: IntegratedCareSystem, pk: int) -> Place | None:
    return Place.objects.filter(pk=pk, system=system).first()


def boards_of(user, system: IntegratedCareSystem) -> list[OversightGroup]:
    """The system's strategy boards the person may open (issue 16), newest first."""
    return list(groups_visible_to(user).filter(system=system).order_by("-start_date"))
