"""Reads the register's pages and API lists assemble, with their preloading."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404

from .models import CCG, Hub, IntegratedCareSystem, Place, ProgrammeOfCare, Region, SystemMember
from .querysets import succession_prefetches, valid_on_q

FOOTPRINT_PAGE_SIZE = 50  # organisations per page on a hub's page (the register search's too)


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("name")


def hubs() -> QuerySet[Hub]:
    """Every hub by name, its region loaded."""
    return Hub.objects.select_related("region").order_by("name")


def ccgs() -> QuerySet[CCG]:
    """Every CCG (closed ones too) by name, with hub, region and succession loaded."""
    return CCG.objects.with_succession().order_by("name")


def programmes() -> QuerySet[ProgrammeOfCare]:
    return ProgrammeOfCare.objects.all()


def programmes_by_name() -> QuerySet[ProgrammeOfCare]:
    return ProgrammeOfCare.objects.order_by("name")


def ccg_totals(day: datetime.date, footprint_day: datetime.date) -> dict[str, int]:
    """How many local commissioners were open on `day` and on `footprint_day`, and how many
    CCGs and ICBs the register holds over time."""
    icb = Q(kind=CCG.Kind.ICB)
    return CCG.objects.aggregate(
        on_day=Count("pk", filter=valid_on_q(day)),
        footprint=Count("pk", filter=valid_on_q(footprint_day)),
        all=Count("pk"),
        ccgs=Count("pk", filter=~icb),
        icbs=Count("pk", filter=icb),
    )


class CountedPaginator(Paginator):
    """A paginator told its count, when one aggregate has counted several lists."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: no COUNT query


@dataclass
class HubFootprint:
    """A hub, a page of its organisations open on a day and a page of those closed before it."""

    hub: Hub
    current: Page
    closed: Page


def hub_footprint(
    slug: str, day: datetime.date, *, page=None, closed_page=None, per_page=FOOTPRINT_PAGE_SIZE
) -> HubFootprint:
    """The hub (404 if none) with its CCGs or ICBs open on `day` (its footprint that day) and
    those that had closed by then, each by name and a page at a time, with their successions:
    at most five queries (the hub with both counts, a page of each list, the two pages'
    successions), however many organisations the hub has had."""
    closed_q = Q(valid_to__lt=day)
    hub = get_object_or_404(
        Hub.objects.select_related("region").annotate(
            current_count=Count("ccgs", filter=valid_on_q(day, "ccgs__")),
            closed_count=Count("ccgs", filter=Q(ccgs__valid_to__lt=day)),
        ),
        slug=slug,
    )
    ccgs = CCG.objects.filter(hub=hub).order_by("name", "pk")
    current = CountedPaginator(ccgs.valid_on(day), per_page, count=hub.current_count)
    closed = CountedPaginator(ccgs.filter(closed_q), per_page, count=hub.closed_count)
    footprint = HubFootprint(
        hub=hub, current=current.get_page(page), closed=closed.get_page(closed_page)
    )
    # An empty page's slice runs no query; both pages' successions load together.
    footprint.current.object_list = list(footprint.current.object_list)
    footprint.closed.object_list = list(footprint.closed.object_list)
    prefetch_related_objects(
        [*footprint.current.object_list, *footprint.closed.object_list], *succession_prefetches()
    )
    return footprint


def region_by_slug(slug: str) -> Region:
    return get_object_or_404(Region, slug=slug)


def ccg_by_code(ods_code: str) -> CCG:
    return get_object_or_404(CCG.objects.with_succession(), ods_code=ods_code.upper())


def region_choices() -> QuerySet[Region]:
    """Regions a form or API body may name (looked up by slug)."""
    return Region.objects.all()


def hub_choices() -> QuerySet[Hub]:
    return Hub.objects.all()


def ccg_choices() -> QuerySet[CCG]:
    return CCG.objects.all()


def system_choices() -> QuerySet[IntegratedCareSystem]:
    """Integrated care systems a form or API body may name (by id): issue 16's ICS lead."""
    return IntegratedCareSystem.objects.all()


def ccgs_with_codes(codes) -> list[CCG]:
    return list(CCG.objects.filter(ods_code__in=codes))


def ccgs_of_system(system_id: int | None) -> QuerySet[CCG]:
    """Every commissioner a system has had, by name: what a form or API body may offer (a
    strategy board's member, an arrangement's party, an exemplar's participant); the rules
    then check the day with `in_system_on`."""
    ever = SystemMember.objects.filter(system_id=system_id).values("commissioner")
    return CCG.objects.filter(pk__in=ever).order_by("name")


def in_system_on(system_id: int | None, commissioner: CCG, day: datetime.date) -> bool:
    """Whether `commissioner` was a commissioner in the system on `day` (issue 16)."""
    return SystemMember.objects.filter(
        valid_on_q(day), system_id=system_id, commissioner=commissioner
    ).exists()


def places_of_system(system_id: int | None) -> QuerySet[Place]:
    """A system's places (ICP areas), any dates; None: every place (an API field's default)."""
    places = Place.objects.all()
    return places if system_id is None else places.filter(system_id=system_id)


def ccgs_of_hub(hub_id: int) -> QuerySet[CCG]:
    """Every CCG a hub has had (a form or API body may name any of them)."""
    return CCG.objects.filter(hub_id=hub_id)


def systems_of(ccg) -> list:
    """The integrated care systems (and places) the commissioner has been in (issue 16)."""
    from .models import SystemMember

    return list(
        SystemMember.objects.filter(commissioner=ccg)
        .select_related("system", "place")
        .order_by("valid_from")
    )
