"""The learning library's section of shared evaluations (issue 17, "What to build" 6): the
reviews app's page asks through `reviews.library`; this answers, in one query, with the newest
few that match the page's search and a link to all of them."""

from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode

from commissioning.dates import nhs_date
from reviews.library import Item, Section

from . import selectors
from .permissions import can_read_library

SHOWN = 5
COLOURS = {"met": "green", "partly_met": "orange", "not_met": "red"}


def item_of(evaluation) -> Item:
    content = evaluation.shared_content
    meta = " · ".join(
        part
        for part in (
            f"{content.get('hub', '')} hub",
            content.get("year_label", ""),
            content.get("programme_of_care", ""),
            content.get("theme_label", ""),
            f"shared {nhs_date(evaluation.library_shared_at)}",
        )
        if part
    )
    realised = Decimal(content.get("qipp_realised") or 0)
    planned = Decimal(content.get("planned_qipp") or 0)
    text = (
        f"QIPP savings of £{realised:,.0f} realised against £{planned:,.0f} planned. "
        f"{content.get('benefits', '')}"
    )
    if len(text) > 400:
        text = text[:399].rstrip() + "…"
    return Item(
        title=content.get("title", ""),
        url=reverse("evaluations:shared-detail", kwargs={"pk": evaluation.pk}),
        tag=f"Aims {content.get('rating_label', '').lower()}",
        tag_colour=COLOURS.get(content.get("rating", ""), "grey"),
        meta=meta,
        text=text,
    )


def shared_section(user, *, q: str = "", programme_of_care=None) -> Section | None:
    if not can_read_library(user):
        return None
    found = list(selectors.shared(q=q, programme=programme_of_care)[: SHOWN + 1])
    pairs = (("q", q), ("programme", getattr(programme_of_care, "slug", "")))
    query = {k: v for k, v in pairs if v}
    more = reverse("evaluations:shared") + (f"?{urlencode(query)}" if query else "")
    return Section(
        key="evaluations",
        heading="Evaluations shared by hubs",
        intro="What hubs found when they evaluated their priorities after the year: benefits"
        " realised, perverse incentives, blockages and good practice.",
        items=[item_of(e) for e in found[:SHOWN]],
        more_url=more,
        more_label="Every shared evaluation" if len(found) <= SHOWN else "More shared evaluations",
    )
