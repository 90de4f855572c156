"""The ICS lead role (issue 16): scoped to one integrated care system, granted by national
admins through the page and the API like every other role."""

import pytest
from django.urls import reverse

from accounts.models import RoleAssignment, User
from accounts.permissions import scopes
from hubs.models import IntegratedCareSystem

pytestmark = pytest.mark.django_db


def _nenc() -> IntegratedCareSystem:
    return IntegratedCareSystem.objects.get(short_name="NENC")


def test_an_ics_lead_is_scoped_to_their_system(nenc_ics_lead):
    assignment = RoleAssignment.objects.with_scope().get(user=nenc_ics_lead)
    assert assignment.organisation == _nenc()
    assert assignment.label == "ICS lead, North East and North Cumbria ICS"
    s = scopes(nenc_ics_lead)
    assert s.system_ids == {_nenc().pk}
    assert (s.national, s.region_ids, s.hub_ids, s.ccg_ids) == (False, set(), set(), set())


def test_the_grant_form_asks_for_the_system(client, national_admin):
    client.force_login(national_admin)
    response = client.post(
        reverse("accounts:role-grant"),
        {"email": "ics@example.nhs.uk", "full_name": "Ida Sykes", "role": "ics_lead"},
    )
    html = response.content.decode()
    assert 'id="id_system_error"' in html
    assert "Choose an integrated care system for the ICS lead role." in html
    assert not User.objects.filter(email="ics@example.nhs.uk").exists()
    response = client.post(
        reverse("accounts:role-grant"),
        {
            "email": "ics@example.nhs.uk",
            "full_name": "Ida Sykes",
            "role": "ics_lead",
            "system": _nenc().pk,
            "ccg": "00P",  # another role's organisation is ignored, never stored
        },
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user__email="ics@example.nhs.uk")
    assert (assignment.system, assignment.ccg) == (_nenc(), None)


def test_the_api_grants_an_ics_lead(api_client, national_admin, nec_hub_officer):
    api_client.force_authenticate(nec_hub_officer)
    body = {"email": "ics@example.nhs.uk", "full_name": "Ida", "role": "ics_lead"}
    assert (
        api_client.post("/api/v1/role-assignments/", {**body, "system": _nenc().pk}).status_code
        == 403
    )
    api_client.force_authenticate(national_admin)
    refused = api_client.post("/api/v1/role-assignments/", body, format="json")
    assert refused.status_code == 400
    assert "system" in refused.json()
    granted = api_client.post(
        "/api/v1/role-assignments/", {**body, "system": _nenc().pk}, format="json"
    )
    assert granted.status_code == 201
    assert (granted.json()["role_label"], granted.json()["system"]) == ("ICS lead", _nenc().pk)
