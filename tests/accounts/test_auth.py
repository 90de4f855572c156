"""Signing in and out, throttling, password reset, and each role's home page."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def test_sign_in_lands_on_my_work(client, sunderland_lead):
    response = _sign_in(client, "DAVID@example.nhs.uk".lower())
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:my-work")


def test_sign_in_returns_to_the_page_asked_for(client, sunderland_lead):
    target = reverse("hubs:ccg-detail", args=["00P"])
    response = _sign_in(client, sunderland_lead.email, next=target)
    assert response["Location"] == target


def test_wrong_password_is_explained(client, sunderland_lead):
    response = _sign_in(client, sunderland_lead.email, "wrong")
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.content
    assert "_auth_user_id" not in client.session


def test_empty_form_shows_errors_next_to_fields(client, register):
    html = client.post(LOGIN, {}).content.decode()
    assert "There is a problem" in html
    assert 'id="id_username_error"' in html
    assert "Enter your email address" in html
    assert "Enter your password" in html


def test_repeated_failures_lock_the_account_out(client, sunderland_lead, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, sunderland_lead.email, "wrong")
    locked = _sign_in(client, sunderland_lead.email)
    assert locked.status_code == 429
    assert b"Too many sign-in attempts" in locked.content
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_post(client, sunderland_lead):
    client.force_login(sunderland_lead)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("workspace:my-work")).status_code == 302


def test_password_reset_by_email(client, sunderland_lead):
    response = client.post(reverse("accounts:password-reset"), {"email": sunderland_lead.email})
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert b"Set a new password" in form.content
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase-9", "new_password2": "a-new-long-passphrase-9"},
    )
    assert done["Location"] == reverse("accounts:password-reset-complete")
    sunderland_lead.refresh_from_db()
    assert sunderland_lead.check_password("a-new-long-passphrase-9")


def test_password_reset_says_the_same_for_unknown_addresses(client, register):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.nhs.uk"})
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("national_admin", ["National admin: England", "People and roles"]),
        ("north_reviewer", ["Regional team: North", "Yorkshire and Humber"]),
        ("nec_hub_officer", ["Hub staff: North East and Cumbria", "oversight group"]),
        ("sunderland_lead", ["CCG lead: NHS Sunderland CCG", "No invitations"]),
        ("roleless_user", ["You have no role yet"]),
    ],
)
def test_my_work_per_role(client, request, persona, expected, django_assert_max_num_queries):
    client.force_login(request.getfixturevalue(persona))
    # Roles, hubs, groups, invitations, recommendations, panel places, deadlines (none due in
    # the test calendar), co-commissioning's windows and the role's applications (issue 15)
    # and the unread count; the ideas they follow and the consultations they answer (issue 17);
    # the next jobs: the latest plans and the lead's own proposals (issue 18, finding 6).
    # 14 since issue 20: the milestones' records in one query, the CCGs' invitations,
    # representation and places in one, hub counts only for hub and regional panels.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("workspace:my-work"))
    html = response.content.decode()
    for text in expected:
        assert text in html


def test_navigation_is_role_aware(client, national_admin, sunderland_lead):
    client.force_login(sunderland_lead)
    labels = [item["label"] for item in client.get("/").context["nav_items"]]
    assert labels == [
        "My work",
        "Oversight groups",
        "Peer reviews",
        "Idea exchange",
        "Timeline",
        "Co-commissioning",
        "Organisation register",
        "Search CCGs and ICBs",
        "National templates",
    ]
    client.force_login(national_admin)
    labels = [item["label"] for item in client.get("/").context["nav_items"]]
    assert labels[-2:] == ["People and roles", "Admin"]


def test_error_pages_use_the_service_layout(client, sunderland_lead, settings):
    client.force_login(sunderland_lead)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Skip to main content" in response.content


def test_health_check(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
