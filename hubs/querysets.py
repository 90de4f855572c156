"""Reads of the organisation register, with their joins built in."""

import datetime

from django.db import models
from django.db.models import Count, Prefetch, Q


def valid_on_q(day: datetime.date, prefix: str = "") -> Q:
    """Rows valid on `day`: started on or before it and not ended before it."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(valid_on_q(day))


def succession_prefetches() -> list[Prefetch]:
    """Both directions of succession, each link with its two organisations: what a list needs
    to show "succeeded by"/"formed from" (two queries, whatever the number of CCGs)."""
    from .models import CCGSuccession

    links = CCGSuccession.objects.select_related("predecessor", "successor")
    return [
        Prefetch("successor_links", queryset=links),
        Prefetch("predecessor_links", queryset=links),
    ]


class CCGQuerySet(ValidityQuerySet):
    def with_succession(self):
        """Preload both directions of succession, so a list shows "succeeded by"/"formed from"."""
        return self.select_related("hub__region").prefetch_related(*succession_prefetches())

    def search(self, text: str):
        """Match a name fragment or an exact ODS code (case-insensitive)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(ods_code__iexact=text))


def hubs_with_counts(day: datetime.date):
    """Hubs valid on `day` with their region and the number of CCGs valid that day."""
    from .models import Hub

    return (
        Hub.objects.valid_on(day)
        .select_related("region")
        .annotate(ccg_count=Count("ccgs", filter=valid_on_q(day, "ccgs__")))
        .order_by("region__name", "name")
    )
