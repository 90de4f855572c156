"""Every write to people and roles: named, atomic, audited."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning import audit, outbox
from commissioning.errors import RuleError, StateConflict
from hubs.models import CCG, Hub, IntegratedCareSystem, Region

from . import events
from .models import ROLE_SCOPE, ExternalIdentity, Role, RoleAssignment, User, email_key
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


# Single sign-on (issue 19). The rules, in order (docs/sign-in-sso.md):
# 1. The email claim must be marked verified (`email_verified` true), unless the provider is
#    configured to trust it, and be in one of the provider's allowed domains.
# 2. A subject (`sub`) already linked signs in its linked person, whatever address it now
#    brings, unless that address belongs to someone else (refused: "conflict").
# 3. A new subject links to the active person with that address (any case), unless that
#    person is already linked to another subject at the same provider ("conflict").
# 4. No one is ever created, and no role granted: an unknown or inactive address is refused
#    ("unknown") and told who can give access.
def sso_user_for(*, provider, claims: dict) -> User:
    """The person these checked claims from `provider` (accounts.sso.Provider) may sign in as,
    linking the subject at the first sign-in (audited). Raises accounts.sso.SSORefused."""
    from .sso import SSORefused

    email = email_key(str(claims.get(provider.email_claim) or ""))
    subject = str(claims.get("sub") or "")
    if not email or not subject:
        raise SSORefused("unverified", email=email)
    verified = claims.get("email_verified")
    if not (verified is True or str(verified).lower() == "true" or provider.trust_email):
        raise SSORefused("unverified", email=email)
    if not provider.allows(email):
        raise SSORefused("domain", email=email)

    owner = User.objects.filter(email__iexact=email).first()
    with transaction.atomic():
        identity = (
            ExternalIdentity.objects.select_for_update()
            .select_related("user")
            .filter(provider=provider.key, subject=subject)
            .first()
        )
        if identity is not None:
            if owner is not None and owner.pk != identity.user_id:
                raise SSORefused("conflict", email=email)
            user = identity.user
        else:
            if owner is None or not owner.is_active:
                raise SSORefused("unknown", email=email)
            if ExternalIdentity.objects.filter(provider=provider.key, user=owner).exists():
                raise SSORefused("conflict", email=email)
            try:
                with transaction.atomic():
                    identity = ExternalIdentity.objects.create(
                        provider=provider.key, subject=subject, user=owner, email=email
                    )
            except IntegrityError as clash:  # the same person's first sign-in, twice at once
                raise SSORefused("conflict", email=email) from clash
            audit.record(
                actor=owner,
                verb=events.SSO_LINKED,
                target=owner,
                provider=provider.key,
                subject=subject,
            )
            user = owner
        if not user.is_active:
            raise SSORefused("unknown", email=email)
        ExternalIdentity.objects.filter(pk=identity.pk).update(last_signed_in_at=timezone.now())
    return user


def sso_signed_in(*, user: User, provider_key: str) -> None:
    """Record a sign-in through single sign-on (the session is the caller's to start)."""
    audit.record(actor=user, verb=events.SIGNIN_SSO, target=user, provider=provider_key)
