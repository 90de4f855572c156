"""Permission ladders (anonymous → role-less → CCG lead → hub → region → national) in UI and API."""

import pytest
from django.urls import reverse

from accounts.models import Role, RoleAssignment, User
from hubs.models import Hub

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(sunderland_lead):
    """A role assignment that management pages act on."""
    return RoleAssignment.objects.get(user=sunderland_lead)


def _management_urls(target) -> list[tuple[str, str]]:
    return [
        ("get", reverse("accounts:people")),
        ("get", reverse("accounts:role-grant")),
        ("post", reverse("accounts:role-grant")),
        ("get", reverse("accounts:person-detail", args=[target.user_id])),
        ("get", reverse("accounts:role-end", args=[target.pk])),
        ("post", reverse("accounts:role-end", args=[target.pk])),
    ]


def test_anonymous_is_sent_to_sign_in_everywhere(client, target):
    for method, url in [*_management_urls(target), ("get", reverse("workspace:my-work"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


@pytest.mark.parametrize(
    "persona", ["roleless_user", "sunderland_lead", "nec_hub_officer", "north_reviewer"]
)
def test_only_national_admins_manage_people(client, request, target, persona):
    client.force_login(request.getfixturevalue(persona))
    for method, url in _management_urls(target):
        response = getattr(client, method)(url, {"email": "x@example.nhs.uk", "role": "hub_staff"})
        assert response.status_code == 403, url
        assert b"You do not have access to this page" in response.content
        assert b"david@example.nhs.uk" not in response.content
    target.refresh_from_db()
    assert target.ended_at is None
    assert not User.objects.filter(email="x@example.nhs.uk").exists()


def test_national_admin_manages_people(
    client, national_admin, target, django_assert_max_num_queries
):
    client.force_login(national_admin)
    for i in range(30):
        RoleAssignment.objects.create(
            user=User.objects.create(email=f"p{i}@example.nhs.uk", full_name=f"P {i}"),
            role=Role.HUB_STAFF,
            hub=Hub.objects.get(slug="london"),
        )
    with django_assert_max_num_queries(10):
        response = client.get(reverse("accounts:people"))
    assert response.status_code == 200
    assert b"Hub staff, London" in response.content
    filtered = client.get(reverse("accounts:people"), {"role": "ccg_lead"})
    assert [p.email for p in filtered.context["page"].object_list] == ["david@example.nhs.uk"]
    with django_assert_max_num_queries(12):
        detail = client.get(reverse("accounts:person-detail", args=[target.user_id]))
    assert b"CCG lead, NHS Sunderland CCG" in detail.content


def test_grant_form_shows_errors_next_to_fields_and_changes_nothing(client, national_admin):
    client.force_login(national_admin)
    before = (User.objects.count(), RoleAssignment.objects.count())
    response = client.post(
        reverse("accounts:role-grant"), {"email": "not-an-email", "role": "", "full_name": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'id="id_email_error"' in html
    assert "Enter an email address in the correct format" in html
    assert 'id="id_role_error"' in html
    assert (User.objects.count(), RoleAssignment.objects.count()) == before


def test_grant_form_explains_a_missing_organisation(client, national_admin):
    client.force_login(national_admin)
    response = client.post(
        reverse("accounts:role-grant"),
        {"email": "new@example.nhs.uk", "full_name": "New", "role": "ccg_lead"},
    )
    html = response.content.decode()
    assert 'id="id_ccg_error"' in html
    assert "Choose a CCG for the CCG lead role." in html
    assert not User.objects.filter(email="new@example.nhs.uk").exists()


def test_grant_then_end_through_the_pages(client, national_admin):
    client.force_login(national_admin)
    response = client.post(
        reverse("accounts:role-grant"),
        {"email": "lead@example.nhs.uk", "full_name": "Lee Ead", "role": "ccg_lead", "ccg": "00L"},
    )
    person = User.objects.get(email="lead@example.nhs.uk")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:person-detail", args=[person.pk])
    assignment = RoleAssignment.objects.get(user=person)
    assert assignment.ccg.ods_code == "00L"
    response = client.post(reverse("accounts:role-end", args=[assignment.pk]))
    assert response.status_code == 302
    again = client.post(reverse("accounts:role-end", args=[assignment.pk]))
    assert again.status_code == 409
    assert b"already been ended" in again.content


def test_unknown_person_is_404_for_admins_only(client, national_admin, sunderland_lead):
    client.force_login(sunderland_lead)
    assert client.get(reverse("accounts:person-detail", args=[999999])).status_code == 403
    client.force_login(national_admin)
    assert client.get(reverse("accounts:person-detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "persona", ["roleless_user", "sunderland_lead", "nec_hub_officer", "north_reviewer"]
)
def test_admin_site_is_for_national_admins_only(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in ("/admin/", "/admin/hubs/ccg/", "/admin/accounts/user/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/")


def test_national_admin_uses_the_admin_but_cannot_delete(client, national_admin):
    client.force_login(national_admin)
    assert client.get("/admin/").status_code == 200
    page = client.get("/admin/hubs/ccg/")
    assert page.status_code == 200
    ccg_id = page.context["cl"].result_list[0].pk
    assert client.get(f"/admin/hubs/ccg/{ccg_id}/delete/").status_code == 403
    assert client.get(f"/admin/hubs/ccg/{ccg_id}/history/").status_code == 200


@pytest.mark.parametrize(
    "persona", ["roleless_user", "sunderland_lead", "nec_hub_officer", "north_reviewer"]
)
def test_role_api_refuses_everyone_but_national_admins(api_client, request, target, persona):
    api_client.force_authenticate(request.getfixturevalue(persona))
    assert api_client.get("/api/v1/role-assignments/").status_code == 403
    assert api_client.get(f"/api/v1/role-assignments/{target.pk}/").status_code == 403
    response = api_client.post(
        "/api/v1/role-assignments/",
        {"email": "x@example.nhs.uk", "full_name": "X", "role": "national_admin"},
    )
    assert response.status_code == 403
    assert api_client.post(f"/api/v1/role-assignments/{target.pk}/end/").status_code == 403
    assert not User.objects.filter(email="x@example.nhs.uk").exists()
    target.refresh_from_db()
    assert target.ended_at is None


def test_role_api_for_national_admins(api_client, national_admin, target):
    assert api_client.get("/api/v1/role-assignments/").status_code == 401
    api_client.force_authenticate(national_admin)
    listing = api_client.get("/api/v1/role-assignments/", {"role": "ccg_lead"}).json()
    assert [r["user"] for r in listing["results"]] == ["david@example.nhs.uk"]
    bad = api_client.post(
        "/api/v1/role-assignments/", {"email": "r@example.nhs.uk", "role": "regional_team"}
    )
    assert bad.status_code == 400
    assert "region" in bad.json()
    made = api_client.post(
        "/api/v1/role-assignments/",
        {"email": "r@example.nhs.uk", "full_name": "R", "role": "regional_team", "region": "south"},
    )
    assert made.status_code == 201
    assert made.json()["label"] == "Regional team, South"
    ended = api_client.post(f"/api/v1/role-assignments/{target.pk}/end/")
    assert ended.status_code == 200
    assert ended.json()["is_active"] is False
    again = api_client.post(f"/api/v1/role-assignments/{target.pk}/end/")
    assert again.status_code == 409
