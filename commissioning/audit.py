"""Audit events: one small function per governance action calls `record`."""

from typing import Any

from django.db import models

from .models import VERB_LABELS, AuditEvent


def label_verbs(labels: dict[str, str]) -> None:
    """How an app's audit verbs read on history pages: each app's `events` module declares
    its own (found at start-up, `CommissioningConfig.ready`), so no verb shows as its code."""
    VERB_LABELS.update(labels)


def record(
    *, actor, verb: str, target: models.Model | None, target_label: str = "", **data: Any
) -> AuditEvent:
    """Write one audit event for `verb` done by `actor` (None for the system) to `target`.

    `target` may be None for an action on a whole collection (say, the register), which
    `target_label` then names.
    """
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else target_label,
        target_id=str(target.pk) if target is not None else "",
        target_repr=(str(target) if target is not None else target_label)[:255],
        data=data,
    )


def events_for(target: models.Model):
    """The audit events about one record, newest first, with their actors preloaded."""
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")


def events_for_many(targets: dict[str, list]) -> "models.QuerySet[AuditEvent]":
    """Events about many records at once: {model label: [ids]} → one query, newest first."""
    from django.db.models import Q

    condition = Q(pk__in=[])
    for label, ids in targets.items():
        if ids:
            condition |= Q(target_type=label, target_id__in=[str(i) for i in ids])
    return AuditEvent.objects.filter(condition).select_related("actor")
