"""Role assignments: the rules in the services, the database constraints and the audit trail."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from accounts import services
from accounts.models import Role, RoleAssignment, User
from accounts.permissions import (
    can_manage_roles,
    can_use_admin,
    can_view_register,
    is_national_admin,
    scopes,
)
from commissioning.models import AuditEvent
from hubs.models import CCG, Hub, Region

pytestmark = pytest.mark.django_db


def test_scopes_follow_active_assignments(nec_hub_officer, sunderland_lead, national_admin):
    assert scopes(nec_hub_officer).hub_ids == {Hub.objects.get(slug="north-east-and-cumbria").pk}
    assert scopes(sunderland_lead).ccg_ids == {CCG.objects.get(ods_code="00P").pk}
    assert is_national_admin(national_admin)
    assert not is_national_admin(nec_hub_officer)
    assert can_use_admin(national_admin)
    assert not can_use_admin(sunderland_lead)
    assert can_manage_roles(national_admin)
    assert not can_manage_roles(nec_hub_officer)


def test_inactive_user_has_no_powers(national_admin):
    national_admin.is_active = False
    assert not is_national_admin(national_admin)
    assert not can_view_register(national_admin)


def test_a_user_may_hold_several_roles(national_admin, nec_hub_officer):
    services.role_grant(
        by=national_admin,
        email=nec_hub_officer.email,
        full_name="",
        role=Role.CCG_LEAD,
        ccg=CCG.objects.get(ods_code="00L"),
    )
    user_scopes = scopes(User.objects.get(pk=nec_hub_officer.pk))
    assert user_scopes.roles == {Role.HUB_STAFF, Role.CCG_LEAD}
    assert nec_hub_officer.has_perm("hubs.view_register")


def test_granting_to_someone_new_creates_them_and_emails_a_link(
    national_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.role_grant(
            by=national_admin,
            email="New.Person@Example.NHS.uk",
            full_name="New Person",
            role=Role.HUB_STAFF,
            hub=Hub.objects.get(slug="wessex"),
        )
    person = assignment.user
    assert person.email == "new.person@example.nhs.uk"
    assert not person.has_usable_password()
    assert assignment.label == "Hub staff, Wessex"
    assert assignment.granted_by == national_admin
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.nhs.uk"]
    assert "/accounts/reset/" in message.body
    assert message.alternatives[0][1] == "text/html"
    verbs = list(AuditEvent.objects.filter(actor=national_admin).values_list("verb", flat=True))
    assert sorted(verbs) == ["role.granted", "user.created"]


@pytest.mark.parametrize(
    ("role", "org", "field"),
    [
        (Role.REGIONAL_TEAM, {}, "region"),
        (Role.HUB_STAFF, {"region": "north"}, "hub"),
        (Role.CCG_LEAD, {}, "ccg"),
    ],
)
def test_a_role_needs_its_kind_of_organisation(national_admin, role, org, field):
    region = Region.objects.get(slug=org["region"]) if org else None
    with pytest.raises(services.RoleError) as raised:
        services.role_grant(
            by=national_admin,
            email="someone@example.nhs.uk",
            full_name="Someone",
            role=role,
            region=region,
        )
    assert raised.value.field == field
    assert not User.objects.filter(email="someone@example.nhs.uk").exists()


def test_other_organisations_are_ignored_for_the_role(national_admin):
    assignment = services.role_grant(
        by=national_admin,
        email="x@example.nhs.uk",
        full_name="X",
        role=Role.HUB_STAFF,
        hub=Hub.objects.get(slug="london"),
        region=Region.objects.get(slug="north"),
    )
    assert assignment.region is None
    assert assignment.hub.slug == "london"


def test_new_person_needs_a_name(national_admin):
    with pytest.raises(services.RoleError) as raised:
        services.role_grant(
            by=national_admin, email="anon@example.nhs.uk", full_name=" ", role=Role.NATIONAL_ADMIN
        )
    assert raised.value.field == "full_name"


def test_same_role_twice_is_refused(national_admin, sunderland_lead):
    with pytest.raises(services.RoleError, match="already holds this role"):
        services.role_grant(
            by=national_admin,
            email=sunderland_lead.email,
            full_name="",
            role=Role.CCG_LEAD,
            ccg=CCG.objects.get(ods_code="00P"),
        )
    assert RoleAssignment.objects.filter(user=sunderland_lead).count() == 1


def test_database_refuses_a_mismatched_scope(sunderland_lead):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            user=sunderland_lead, role=Role.HUB_STAFF, region=Region.objects.get(slug="north")
        )


def test_ending_keeps_the_record_and_history(national_admin, sunderland_lead):
    assignment = RoleAssignment.objects.get(user=sunderland_lead)
    services.role_end(by=national_admin, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    assert assignment.ended_by == national_admin
    assert assignment.history.count() == 2
    assert scopes(User.objects.get(pk=sunderland_lead.pk)).roles == frozenset()
    assert AuditEvent.objects.filter(verb="role.ended", target_id=str(assignment.pk)).exists()
    # The same role may be given again later: only active assignments are unique.
    services.role_grant(
        by=national_admin,
        email=sunderland_lead.email,
        full_name="",
        role=Role.CCG_LEAD,
        ccg=CCG.objects.get(ods_code="00P"),
    )
    assert RoleAssignment.objects.filter(user=sunderland_lead).count() == 2


def test_ending_twice_is_refused(national_admin, sunderland_lead):
    assignment = RoleAssignment.objects.get(user=sunderland_lead)
    stale = RoleAssignment.objects.get(pk=assignment.pk)
    services.role_end(by=national_admin, assignment=assignment)
    with pytest.raises(services.RoleError, match="already been ended"):
        services.role_end(by=national_admin, assignment=stale)


def test_the_last_national_admin_cannot_be_removed(national_admin):
    assignment = RoleAssignment.objects.get(user=national_admin)
    with pytest.raises(services.RoleError, match="last national admin"):
        services.role_end(by=national_admin, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.ended_at is None
