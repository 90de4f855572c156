"""What every priorities page shares: its breadcrumbs, and the answer to a one-button action."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse

from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError

from ..models import PrioritiesPlan


def crumbs(plan: PrioritiesPlan | None = None, group=None) -> list[dict]:
    group = group or plan.group
    trail = [
        {"label": group.name, "url": group.get_absolute_url()},
        {"label": "Priorities plans", "url": reverse("priorities:plan-list", args=[group.pk])},
    ]
    if plan is not None:
        trail.append({"label": plan.year_label, "url": plan.get_absolute_url()})
    return trail


def act(request: HttpRequest, change: Callable, *, success: Callable[..., str] | str | None):
    """Run one service for a button with no form of its own: a refusal (RuleError,
    ConflictError, or a posted version that is not a number) becomes the page's error
    message, `success` its confirmation (if any). Returns what the service returned, or None
    if it was refused."""
    try:
        done = change()
    except (ValueError, RuleError, ConflictError) as error:
        messages.error(request, getattr(error, "message", None) or str(error))
        return None
    if success is not None:
        messages.success(request, success(done) if callable(success) else success)
    return done
