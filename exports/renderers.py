"""What each kind of export contains: params in, (filename, template, context) out.

The hub footprint is rendered here; meetings, priorities and reviews register their own."""

import datetime
from collections.abc import Callable

from django.utils import timezone
from django.utils.text import slugify

from hubs.models import Hub

from .models import Export

Rendered = tuple[str, str, dict]


class ExportParamsError(ValueError):
    """The export's parameters no longer describe anything (say, the hub has gone)."""


def hub_footprint(params: dict) -> Rendered:
    hub = Hub.objects.select_related("region").filter(slug=params.get("hub")).first()
    if hub is None:
        raise ExportParamsError(f"No hub '{params.get('hub')}'.")
    day = datetime.date.fromisoformat(params.get("on") or timezone.localdate().isoformat())
    ccgs = list(hub.ccgs.with_succession().order_by("name"))
    current = [c for c in ccgs if c.is_valid_on(day)]
    closed = [c for c in ccgs if c.valid_to is not None and c.valid_to < day]
    context = {"hub": hub, "day": day, "current": current, "closed": closed}
    return f"{slugify(hub.name)}-footprint-{day:%Y-%m-%d}.pdf", "pdf/hub_footprint.html", context


# Each app that owns a kind of export registers its renderer from its AppConfig.ready(), so
# exports (low in the layers) never imports the apps above it.
RENDERERS: dict[str, Callable[[dict], Rendered]] = {
    Export.Kind.HUB_FOOTPRINT: hub_footprint,
}


# Kinds whose file can fall behind its record: params in, "has the record changed since?" out.
STALE_CHECKS: dict[str, Callable[[dict], bool]] = {}


def register(
    kind: str,
    renderer: Callable[[dict], Rendered],
    *,
    is_stale: Callable[[dict], bool] | None = None,
) -> None:
    RENDERERS[kind] = renderer
    if is_stale is not None:
        STALE_CHECKS[kind] = is_stale
