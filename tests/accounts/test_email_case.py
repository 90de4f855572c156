"""Email addresses are one person whatever their case (issue 14, probe finding 7): sign-in, the
lockout, role grants and the admin; the database refuses two addresses that differ only in
case."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from accounts import services
from accounts.models import Role, RoleAssignment, User
from hubs.models import Hub
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
GRANTS = "/api/v1/role-assignments/"


@pytest.fixture
def yorkshire_hub(register):
    return make_user("yorkshire.hub@example.nhs.uk", "Yasmin Hale")


def legacy_case(user: User, email: str) -> User:
    """A row as stored before this change (bypassing save(), which now lower-cases)."""
    User.objects.filter(pk=user.pk).update(email=email)
    return user


def test_sign_in_ignores_the_case_of_the_email_address(client, yorkshire_hub):
    response = client.post(
        LOGIN, {"username": "Yorkshire.Hub@example.nhs.uk", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(yorkshire_hub.pk)


def test_a_person_stored_in_mixed_case_signs_in_in_lower_case(client, yorkshire_hub):
    legacy_case(yorkshire_hub, "Yorkshire.Hub@example.nhs.uk")
    response = client.post(
        LOGIN, {"username": "yorkshire.hub@example.nhs.uk", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(yorkshire_hub.pk)


def test_changing_the_case_does_not_escape_the_lockout(client, yorkshire_hub, settings):
    variants = ["YORKSHIRE.HUB", "Yorkshire.Hub", "yorkshire.HUB", "yORKSHIRE.hub", "Yorkshire.hub"]
    for local in variants[: settings.AXES_FAILURE_LIMIT]:
        client.post(LOGIN, {"username": f"{local}@example.nhs.uk", "password": "wrong"})
    locked = client.post(LOGIN, {"username": "yorkshire.hub@example.nhs.uk", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("stored", "given"),
    [
        ("new.person@example.nhs.uk", "NEW.Person@Example.nhs.uk"),
        ("New.Person@Example.nhs.uk", "new.person@example.nhs.uk"),  # stored before issue 14
    ],
)
def test_a_role_grant_reuses_the_person_whatever_the_case(national_admin, stored, given):
    person = legacy_case(make_user("someone@example.nhs.uk", "New Person"), stored)
    people = User.objects.count()
    assignment = services.role_grant(
        by=national_admin,
        email=given,
        full_name="",
        role=Role.HUB_STAFF,
        hub=Hub.objects.get(slug="wessex"),
    )
    assert assignment.user_id == person.pk
    assert User.objects.count() == people


def test_the_api_grant_reuses_the_person_whatever_the_case(api_client, national_admin):
    person = legacy_case(make_user("someone@example.nhs.uk", "New Person"), "New.Person@NHS.net")
    api_client.force_authenticate(national_admin)
    body = {"email": "new.person@nhs.net", "role": Role.HUB_STAFF, "hub": "wessex"}
    response = api_client.post(GRANTS, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["user"] == "New.Person@NHS.net"
    assert RoleAssignment.objects.get(pk=response.json()["id"]).user_id == person.pk
    assert User.objects.filter(email__iexact="new.person@nhs.net").count() == 1


def test_a_grant_that_loses_a_race_to_create_the_person_is_refused_on_the_email(
    api_client, national_admin, monkeypatch
):
    """Two grants to one new address at once: the second finds no one, then the database
    refuses its insert; the API answers 400 on `email`, not 500."""
    make_user("new.person@example.nhs.uk", "New Person")
    real_filter = User.objects.filter

    def blind_to_existing(*args, **kwargs):
        return (
            real_filter(*args, **kwargs).none()
            if "email__iexact" in kwargs
            else real_filter(*args, **kwargs)
        )

    monkeypatch.setattr(User.objects, "filter", blind_to_existing)
    api_client.force_authenticate(national_admin)
    body = {
        "email": "NEW.Person@Example.nhs.uk",
        "full_name": "New Person",
        "role": Role.HUB_STAFF,
        "hub": "wessex",
    }
    response = api_client.post(GRANTS, body, format="json")
    assert response.status_code == 400
    assert "already exists" in str(response.json()["email"])
    monkeypatch.undo()
    assert User.objects.filter(email__iexact="new.person@example.nhs.uk").count() == 1


def test_addresses_are_stored_lower_case_and_the_database_refuses_a_case_twin(yorkshire_hub):
    other = User.objects.create(email="  Other.Person@Example.NHS.uk ", full_name="Other")
    assert other.email == "other.person@example.nhs.uk"
    with transaction.atomic(), pytest.raises(IntegrityError):
        User.objects.create(email="Yorkshire.Hub@example.nhs.uk", full_name="Twin")
    # Even a write that bypasses save() (bulk_create) meets the constraint on Lower("email").
    with transaction.atomic(), pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="YORKSHIRE.HUB@example.nhs.uk", full_name="Twin")])
    assert User.objects.filter(email__iexact="yorkshire.hub@example.nhs.uk").count() == 1


def test_the_admin_refuses_a_case_twin_beside_the_email_field(
    client, national_admin, yorkshire_hub
):
    client.force_login(national_admin)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Yorkshire.Hub@Example.nhs.uk",
            "full_name": "Twin",
            "is_active": "on",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "email" in form.errors
    assert "already exists" in str(form.errors["email"])
    assert User.objects.filter(email__iexact="yorkshire.hub@example.nhs.uk").count() == 1


# --- migration 0003: lower-case the stored addresses, or stop on case twins ------------------


def _migration():
    return importlib.import_module("accounts.migrations.0003_email_case_insensitive")


def test_the_migration_lower_cases_stored_addresses(yorkshire_hub):
    legacy_case(yorkshire_hub, "Yorkshire.Hub@Example.nhs.uk")
    _migration().lower_case_emails(django_apps, None)
    yorkshire_hub.refresh_from_db()
    assert yorkshire_hub.email == "yorkshire.hub@example.nhs.uk"


def test_the_migration_stops_on_case_twins_and_changes_nothing(yorkshire_hub):
    with connection.cursor() as cursor:  # the data as it was before the constraint
        cursor.execute("DROP INDEX user_email_unique_any_case")
    twin = User.objects.bulk_create([User(email="Yorkshire.Hub@example.nhs.uk", full_name="Twin")])
    migration = _migration()
    with pytest.raises(migration.DuplicateEmails, match="differ only in case") as refused:
        migration.lower_case_emails(django_apps, None)
    assert "yorkshire.hub@example.nhs.uk" in str(refused.value)
    assert "Yorkshire.Hub@example.nhs.uk" in str(refused.value)
    assert sorted(User.objects.filter(email__iexact=yorkshire_hub.email).values_list("email")) == [
        ("Yorkshire.Hub@example.nhs.uk",),
        ("yorkshire.hub@example.nhs.uk",),
    ]
    assert len(twin) == 1
