"""An ICB lead is named as one (issue 13, part 2): the stored role stays `ccg_lead`, pages and
the API's `role_label` say "ICB lead" when the organisation is an ICB, "CCG lead" otherwise."""

import pytest
from django.urls import reverse

from accounts.models import RoleAssignment, User
from hubs.models import CCG

pytestmark = pytest.mark.django_db


def _assignment(user: User) -> RoleAssignment:
    return RoleAssignment.objects.with_scope().get(user=user)


def test_role_label_follows_the_organisation(nenc_icb_lead, sunderland_lead):
    icb = _assignment(nenc_icb_lead)
    assert icb.role == "ccg_lead"
    assert icb.role_label == "ICB lead"
    assert icb.label == f"ICB lead, {icb.ccg.name}"
    ccg = _assignment(sunderland_lead)
    assert (ccg.role_label, ccg.label) == ("CCG lead", "CCG lead, NHS Sunderland CCG")


def test_my_work_heading_names_an_icb_lead(client, nenc_icb_lead, django_assert_max_num_queries):
    client.force_login(nenc_icb_lead)
    # 12 since issue 15: co-commissioning's windows and the lead's applications; 13 since issue
    # 17: the ideas they follow and the consultations they answer; 16 since issue 18: the next
    # jobs (the latest plans, the lead's own proposals; bounded: workspace/test_next_jobs.py);
    # 13 since issue 20 (one query for the milestones' records, one for the CCG's places).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("workspace:my-work"))
    html = response.content.decode()
    name = CCG.objects.get(ods_code="QHM").name
    assert f"ICB lead: {name}" in html
    assert "CCG lead:" not in html


def test_people_pages_name_an_icb_lead(
    client, national_admin, nenc_icb_lead, sunderland_lead, django_assert_max_num_queries
):
    client.force_login(national_admin)
    name = CCG.objects.get(ods_code="QHM").name
    with django_assert_max_num_queries(10):
        people = client.get(reverse("accounts:people")).content.decode()
    assert f"ICB lead, {name}" in people
    assert "CCG lead, NHS Sunderland CCG" in people
    assert '<option value="ccg_lead">CCG or ICB lead</option>' in people
    filtered = client.get(reverse("accounts:people"), {"role": "ccg_lead"})
    assert {p.email for p in filtered.context["page"].object_list} == {
        "imogen@example.nhs.uk",
        "david@example.nhs.uk",
    }
    with django_assert_max_num_queries(12):
        detail = client.get(reverse("accounts:person-detail", args=[nenc_icb_lead.pk]))
    assert f"ICB lead, {name}" in detail.content.decode()


def test_grant_form_offers_the_lead_role_for_ccgs_and_icbs(client, national_admin):
    client.force_login(national_admin)
    html = client.get(reverse("accounts:role-grant")).content.decode()
    assert "CCG or ICB (for the CCG or ICB lead role)" in html
    assert '<option value="ccg_lead">CCG or ICB lead</option>' in html


def test_api_keeps_the_role_and_adds_its_label(api_client, national_admin, nenc_icb_lead):
    api_client.force_authenticate(nenc_icb_lead)
    me = api_client.get("/api/v1/me/").json()
    assert [(r["role"], r["role_label"], r["ccg"]) for r in me["roles"]] == [
        ("ccg_lead", "ICB lead", "QHM")
    ]
    api_client.force_authenticate(national_admin)
    rows = api_client.get("/api/v1/role-assignments/", {"role": "ccg_lead"}).json()["results"]
    assert [(r["role"], r["role_label"]) for r in rows] == [("ccg_lead", "ICB lead")]
    national = api_client.get("/api/v1/role-assignments/", {"role": "national_admin"}).json()
    assert national["results"][0]["role_label"] == "National admin"


def test_my_work_counts_todays_footprint_as_icbs(client, nec_hub_officer, time_machine):
    """Today (after 1 July 2022) a hub's footprint is of ICBs; in 2015 it was of CCGs."""
    time_machine.move_to("2026-12-04 10:00Z")
    client.force_login(nec_hub_officer)
    html = client.get(reverse("workspace:my-work")).content.decode()
    assert "whose footprint today is 1 ICB." in html
    time_machine.move_to("2015-06-01 10:00Z")
    html = client.get(reverse("workspace:my-work")).content.decode()
    assert "whose footprint today is 11 CCGs" in html
