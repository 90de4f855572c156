"""Every write to people and roles: named, atomic, audited."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning import audit, outbox
from commissioning.errors import RuleError, StateConflict
from hubs.models import CCG, Hub, IntegratedCareSystem, Region

from . import events
from .models import ROLE_SCOPE, Role, RoleAssignment, User, email_key
from .permissions import forget_scopes


class RoleError(RuleError):
    """A change to this app's records that breaks a rule (see RuleError)."""


class RoleEndRefused(RoleError, StateConflict):
    """The role cannot be ended in its present state (already ended, or the last national
    admin's): the API answers 409."""


@transaction.atomic
def role_grant(
    *,
    by: User,
    email: str,
    full_name: str,
    role: str,
    region: Region | None = None,
    hub: Hub | None = None,
    ccg: CCG | None = None,
    system: IntegratedCareSystem | None = None,
) -> RoleAssignment:
    """Give `email` the `role` for one organisation, creating the person if new.

    Raises RoleError when the organisation does not match the role, or the person already
    holds that role for it.
    """
    scope = ROLE_SCOPE[Role(role)]
    given = {"region": region, "hub": hub, "ccg": ccg, "system": system}
    if scope is not None and given[scope] is None:
        label = {
            "region": "a region",
            "hub": "a hub",
            "ccg": "a CCG",
            "system": "an integrated care system",
        }[scope]
        raise RoleError(f"Choose {label} for the {Role(role).label} role.", field=scope)
    org = {key: (value if key == scope else None) for key, value in given.items()}

    email = email_key(email)
    user = User.objects.filter(email__iexact=email).first()  # any case (issue 14)
    created = user is None
    if user is None:
        if not full_name.strip():
            raise RoleError("Enter the person's full name.", field="full_name")
        try:
            with transaction.atomic():
                user = User.objects.create_user(email=email, full_name=full_name.strip())
        except IntegrityError as clash:  # created in the same instant by another request
            raise RoleError(
                "A person with this email address already exists.", field="email"
            ) from clash
        audit.record(actor=by, verb=events.USER_CREATED, target=user)

    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(user=user, role=role, granted_by=by, **org)
    except IntegrityError as duplicate:
        raise RoleError(
            f"{user} already holds this role for {_where(org[scope] if scope else None)}.",
            field="role",
        ) from duplicate
    audit.record(actor=by, verb=events.ROLE_GRANTED, target=assignment, role=role)
    forget_scopes(user)
    if created:
        from .tasks import user_send_welcome

        outbox.add(
            user_send_welcome, user.pk, key=f"welcome:{user.pk}", label=f"Welcome email to {user}"
        )
    return assignment


def _where(org) -> str:
    return org.name if org is not None else "England"


@transaction.atomic
def role_end(*, by: User, assignment: RoleAssignment) -> RoleAssignment:
    """End an active role assignment; the record stays as history. Raises RoleError if ended."""
    # Conditional update: of two people ending the same role at once, exactly one succeeds.
    now = timezone.now()
    updated = RoleAssignment.objects.filter(pk=assignment.pk, ended_at__isnull=True).update(
        ended_at=now, ended_by=by
    )
    if not updated:
        raise RoleEndRefused("This role had already been ended.")
    if (
        assignment.role == Role.NATIONAL_ADMIN
        and not RoleAssignment.objects.active().filter(role=Role.NATIONAL_ADMIN).exists()
    ):
        raise RoleEndRefused("The last national admin's role cannot be ended.")
    assignment.refresh_from_db()
    # .update() bypasses simple-history, so record the change explicitly.
    assignment._change_reason = "ended"  # type: ignore[attr-defined]  # simple-history reads it
    assignment.save(update_fields=["ended_at", "ended_by"])
    audit.record(actor=by, verb=events.ROLE_ENDED, target=assignment)
    forget_scopes(assignment.user)
    return assignment
