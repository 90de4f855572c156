"""Co-commissioning's reference changes: the application windows national admins keep, and
each CCG's register of interests its leads keep (seed 002, "Model 3: Delegated arrangements")."""

from django.db import IntegrityError, transaction

from commissioning.concurrency import lock_version, save_versioned
from commissioning.errors import RuleError, StateConflict
from hubs.models import CCG

from ..models import ApplicationWindow, Interest, Model
from .applications import _create, _record

# --- windows (national admins) and the register of interests (CCG leads) -------------------


@transaction.atomic
def window_add(
    *, by, model: str, go_live_on, submit_by, sign_off_on=None, source=""
) -> ApplicationWindow:
    if model == Model.GREATER_INVOLVEMENT:
        raise RuleError("Greater involvement has no application window.", field="model")
    if submit_by >= go_live_on:
        raise RuleError("Proposals must be due before the go-live date.", field="submit_by")
    if sign_off_on and not submit_by <= sign_off_on < go_live_on:
        raise RuleError("Sign-off falls between the deadline and go-live.", field="sign_off_on")
    if model == Model.JOINT and sign_off_on:
        raise RuleError(
            "Joint applications are approved by the region: no sign-off date.", field="sign_off_on"
        )
    try:
        with transaction.atomic():
            window = _create(
                ApplicationWindow,
                by,
                model=model,
                go_live_on=go_live_on,
                submit_by=submit_by,
                sign_off_on=sign_off_on,
                source=source,
            )
    except IntegrityError as clash:
        raise RuleError(
            "There is a window for this model and go-live date already.", field="go_live_on"
        ) from clash
    _record(by, "window.added", window)
    return window


@transaction.atomic
def interest_declare(*, by, ccg: CCG, **fields) -> Interest:
    if not fields.get("description", "").strip():
        raise RuleError("Describe the interest.", field="description")
    valid_to = fields.get("valid_to")
    if valid_to and valid_to < fields["valid_from"]:
        raise RuleError("An interest ends on or after the day it begins.", field="valid_to")
    interest = _create(Interest, by, ccg=ccg, created_by=by, **fields)
    _record(by, "interest.declared", interest)
    return interest


@transaction.atomic
def interest_update(*, by, interest: Interest, version: int, **fields) -> Interest:
    current = lock_version(Interest, interest.pk, version, list(fields))
    if current.archived:
        raise StateConflict("An archived entry cannot be changed.")
    valid_to = fields.get("valid_to", current.valid_to)
    if valid_to and valid_to < fields.get("valid_from", current.valid_from):
        raise RuleError("An interest ends on or after the day it begins.", field="valid_to")
    for name, value in fields.items():
        setattr(current, name, value)
    save_versioned(current, by=by, fields=list(fields))
    _record(by, "interest.updated", current)
    return current
