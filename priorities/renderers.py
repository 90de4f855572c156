"""The PDF export this app owns, registered with `exports` from the app's ready()."""

from django.utils.text import slugify

from exports.renderers import ExportParamsError, Rendered

from .models import PrioritiesPlan
from .services import snapshot


def priorities_plan(params: dict) -> Rendered:
    plan = PrioritiesPlan.objects.select_related("group__hub").filter(pk=params.get("plan")).first()
    if plan is None:
        raise ExportParamsError(f"No plan {params.get('plan')}.")
    name = (
        f"{slugify(plan.group.hub.name)}-priorities-plan-{plan.year}-v{params.get('version')}.pdf"
    )
    return (
        name,
        "pdf/priorities_plan.html",
        {"plan": plan, "content": snapshot(plan), "plan_version": params.get("version")},
    )


def priorities_plan_is_stale(params: dict) -> bool:
    """A plan PDF made from a version of the plan that has since changed."""
    plan = PrioritiesPlan.objects.filter(pk=params.get("plan")).only("version").first()
    return plan is not None and plan.version != params.get("version")
