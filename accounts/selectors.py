"""Reads the people-and-roles pages and the home page assemble, with their preloading."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import ApiToken, ExternalIdentity, Role, RoleAssignment, SignIn, User


def people_list(*, query: str = "", role: str = "") -> QuerySet[User]:
    """People with their active roles (preloaded as `active_roles`) and a count of them,
    matching a name or email fragment and holding `role` now, by name."""
    users = User.objects.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.active().with_scope(),
            to_attr="active_roles",
        )
    ).annotate(
        active_role_count=Count(
            "role_assignments", filter=Q(role_assignments__ended_at__isnull=True)
        )
    )
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    if role in Role.values:
        users = users.filter(
            role_assignments__role=role, role_assignments__ended_at__isnull=True
        ).distinct()
    return users.order_by("full_name", "email")


def assignments_of(person: User) -> QuerySet[RoleAssignment]:
    """Every role the person holds or held: active first, newest first, with who acted."""
    return (
        RoleAssignment.objects.with_scope()
        .select_related("granted_by", "ended_by")
        .filter(user=person)
        .order_by("ended_at", "-granted_at")
    )


def assignments_for_api() -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.with_scope().select_related("user").order_by("id")


def latest_unread_notifications(user, limit: int = 5) -> list:
    return list(user.notifications.filter(read_at__isnull=True).order_by("-created_at")[:limit])


def tokens_of(person) -> QuerySet[ApiToken]:
    """A person's personal API tokens (issue 19), every status, newest first, with who revoked
    each. Nobody's for an anonymous user (the schema generator asks as one)."""
    return ApiToken.objects.filter(user_id=person.pk).select_related("revoked_by")


def sign_ins_of(person: User, *, limit: int = 20) -> list:
    """A person's latest sign-ins, with failed attempts and lock-outs against their address
    (tried before or without a matching account too): newest first (issue 19)."""
    return list(
        SignIn.objects.filter(Q(user=person) | Q(email_key=person.email)).order_by("-at", "-id")[
            :limit
        ]
    )


def sign_ins(*, outcome: str = "") -> QuerySet:
    """Every sign-in, newest first, with its person; only `outcome` ones when it names one."""
    rows = SignIn.objects.select_related("user").order_by("-at", "-id")
    if outcome in SignIn.Outcome.values:
        rows = rows.filter(outcome=outcome)
    return rows


def sso_links_of(person: User) -> list[ExternalIdentity]:
    """The single sign-on accounts linked to a person (issue 19), by provider."""
    return list(ExternalIdentity.objects.filter(user_id=person.pk).order_by("provider"))
