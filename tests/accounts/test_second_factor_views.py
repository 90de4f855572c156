"""Two-step sign-in through the pages (issue 19): every page, /admin/ and the session API held
back until the code; the code step, recovery codes, lock-out; each person's own devices only."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts import events, otp
from commissioning.models import AuditEvent
from tests.factories import PASSWORD, authenticator_code, make_authenticator

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
STATUS = reverse("accounts:two-step")
SETUP = reverse("accounts:two-step-setup")
VERIFY = reverse("accounts:two-step-verify")
RECOVERY = reverse("accounts:two-step-recovery")
REMOVE = reverse("accounts:two-step-remove")
REGENERATE = reverse("accounts:two-step-regenerate")
MY_WORK = reverse("workspace:my-work")
HELD_BACK = [
    MY_WORK,
    reverse("accounts:people"),
    reverse("hubs:overview"),
    STATUS,
    REMOVE,
    REGENERATE,
    "/admin/",
    "/admin/accounts/user/",
]


def _sign_in(client, user, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": user.email, "password": password, **extra})


@pytest.fixture
def enrolled_admin(second_factor_enforced, national_admin):
    """Nadia, with her authenticator app set up, signed in with her password only."""
    make_authenticator(national_admin)
    return national_admin


@pytest.mark.parametrize("url", HELD_BACK)
def test_an_admin_without_an_app_is_sent_to_set_it_up(
    second_factor_enforced, client, national_admin, url
):
    client.force_login(national_admin)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{SETUP}?next=")


@pytest.mark.parametrize("url", HELD_BACK)
def test_an_admin_with_an_app_is_asked_for_the_code(client, enrolled_admin, url):
    assert _sign_in(client, enrolled_admin)["Location"] == MY_WORK
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{VERIFY}?next=")


def test_the_session_api_refuses_an_unverified_admin(
    second_factor_enforced, client, national_admin
):
    client.force_login(national_admin)
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert "authenticator app" in response.json()["detail"]


def test_token_api_calls_are_not_affected(second_factor_enforced, client, national_admin):
    key = Token.objects.create(user=national_admin).key
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_a_bad_token_does_not_slip_past(second_factor_enforced, client, national_admin):
    client.force_login(national_admin)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401


def test_the_code_lets_the_admin_through_everywhere(client, enrolled_admin):
    device = otp.authenticator_of(enrolled_admin)
    _sign_in(client, enrolled_admin)
    response = client.post(
        f"{VERIFY}?next=/admin/", {"code": authenticator_code(device), "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    for url in [MY_WORK, "/admin/", "/admin/accounts/user/", STATUS, "/api/v1/me/"]:
        assert client.get(url).status_code == 200, url


def test_the_code_step_returns_only_to_this_site(client, enrolled_admin):
    device = otp.authenticator_of(enrolled_admin)
    _sign_in(client, enrolled_admin)
    response = client.post(VERIFY, {"code": authenticator_code(device), "next": "https://x.test/"})
    assert response["Location"] == MY_WORK


def test_sign_out_and_the_two_step_pages_stay_open(second_factor_enforced, client, national_admin):
    client.force_login(national_admin)
    assert client.get(SETUP).status_code == 200
    assert client.post(reverse("accounts:logout"))["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_explained_beside_the_field(client, enrolled_admin):
    _sign_in(client, enrolled_admin)
    response = client.post(VERIFY, {"code": "000000"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_code_error"' in html
    assert "The code is not right" in html
    assert "Enter the code from your authenticator app - Error - " in html
    assert client.get(MY_WORK)["Location"].startswith(VERIFY)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Enter the 6-digit code"), ("12345", "The code must be 6 digits")],
)
def test_a_malformed_code_is_explained_and_not_counted(client, enrolled_admin, typed, message):
    _sign_in(client, enrolled_admin)
    response = client.post(VERIFY, {"code": typed})
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(verb=events.SECOND_FACTOR_CODE_FAILED).exists()


def test_wrong_codes_lock_the_person_out_and_say_until_when(settings, client, enrolled_admin):
    _sign_in(client, enrolled_admin)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 200
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode()
    assert "Try again after" in response.content.decode()
    # Signing out and in again does not reset the count.
    client.post(reverse("accounts:logout"))
    _sign_in(client, enrolled_admin)
    device = otp.authenticator_of(enrolled_admin)
    assert client.post(VERIFY, {"code": authenticator_code(device)}).status_code == 429
    assert client.get(MY_WORK)["Location"].startswith(VERIFY)


def test_a_recovery_code_signs_in_once(client, enrolled_admin):
    device = otp.recovery_device_of(enrolled_admin)
    code = device.token_set.first().token
    _sign_in(client, enrolled_admin)
    response = client.post(RECOVERY, {"code": code})
    assert response["Location"] == MY_WORK
    assert client.get(MY_WORK).status_code == 200
    client.post(reverse("accounts:logout"))
    _sign_in(client, enrolled_admin)
    html = client.post(RECOVERY, {"code": code}).content.decode()
    assert 'id="id_code_error"' in html
    assert "has been used already" in html


def test_an_unverified_person_cannot_set_up_a_new_app(client, enrolled_admin):
    """Someone who has only the password cannot replace the app to get in."""
    _sign_in(client, enrolled_admin)
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"})["Location"].startswith(VERIFY)


def test_setting_up_shows_the_codes_once_then_goes_on(
    second_factor_enforced, client, national_admin
):
    client.force_login(national_admin)
    page = client.get(f"{SETUP}?next=/admin/")
    html = page.content.decode()
    assert 'role="img"' in html
    assert "<svg" in html
    device = otp.authenticator_of(national_admin, confirmed=False)
    assert otp.secret_in_groups(device) in html
    response = client.post(f"{SETUP}?next=/admin/", {"code": authenticator_code(device)})
    assert response["Location"] == reverse("accounts:two-step-codes")
    codes = client.get(response["Location"])
    assert codes.content.decode().count("<li>") >= 10
    assert 'href="/admin/"' in codes.content.decode()
    assert client.get(reverse("accounts:two-step-codes"))["Location"] == STATUS  # once only
    assert client.get("/admin/").status_code == 200


def test_setting_up_with_a_wrong_code_changes_nothing(
    second_factor_enforced, client, national_admin
):
    client.force_login(national_admin)
    client.get(SETUP)
    html = client.post(SETUP, {"code": "000000"}).content.decode()
    assert 'id="id_code_error"' in html
    assert not otp.has_second_factor(national_admin)


def test_a_person_who_chose_two_step_is_asked_for_the_code(
    second_factor_enforced, client, roleless_user
):
    make_authenticator(roleless_user)
    _sign_in(client, roleless_user)
    assert client.get(MY_WORK)["Location"].startswith(VERIFY)


def test_a_person_without_it_is_not_held_back(second_factor_enforced, client, roleless_user):
    _sign_in(client, roleless_user)
    assert client.get(MY_WORK).status_code == 200
    assert "Off" in client.get(STATUS).content.decode()


def _verified(client, user):
    _sign_in(client, user)
    client.post(VERIFY, {"code": authenticator_code(otp.authenticator_of(user))})


def test_new_recovery_codes_after_a_confirming_step(client, enrolled_admin):
    _verified(client, enrolled_admin)
    assert client.get(REGENERATE).status_code == 200
    response = client.post(REGENERATE)
    assert response["Location"] == reverse("accounts:two-step-codes")
    assert client.get(MY_WORK).status_code == 200  # still verified
    assert AuditEvent.objects.filter(verb=events.RECOVERY_CODES_REGENERATED).count() == 1


def test_an_admin_cannot_turn_it_off(client, enrolled_admin):
    _verified(client, enrolled_admin)
    assert 'id="two-step-required"' in client.get(REMOVE).content.decode()
    device = otp.authenticator_of(enrolled_admin)
    client.post(REMOVE, {"code": authenticator_code(device)})
    assert otp.has_second_factor(enrolled_admin)


def test_a_person_who_chose_it_turns_it_off_with_a_code(
    second_factor_enforced, client, roleless_user
):
    make_authenticator(roleless_user)
    _verified(client, roleless_user)
    html = client.post(REMOVE, {"code": "000000"}).content.decode()
    assert 'id="id_code_error"' in html
    assert otp.has_second_factor(roleless_user)
    device = otp.authenticator_of(roleless_user)
    assert client.post(REMOVE, {"code": authenticator_code(device)})["Location"] == STATUS
    assert not otp.has_second_factor(roleless_user)
    assert client.get(MY_WORK).status_code == 200


def test_nobody_sees_or_changes_anothers_devices(
    second_factor_enforced, client, roleless_user, north_reviewer
):
    device, _ = make_authenticator(roleless_user)
    client.force_login(north_reviewer)
    assert "Off" in client.get(STATUS).content.decode()
    assert client.post(REMOVE, {"code": authenticator_code(device)})["Location"] == STATUS
    assert client.post(REGENERATE)["Location"] == STATUS
    assert otp.has_second_factor(roleless_user)
    assert otp.status_of(roleless_user).recovery_codes_left == 10
    assert not AuditEvent.objects.filter(
        actor=north_reviewer, verb__startswith="second_factor"
    ).exists()


def test_the_status_page_reads_little(client, enrolled_admin, django_assert_max_num_queries):
    _verified(client, enrolled_admin)
    with django_assert_max_num_queries(12):
        assert client.get(STATUS).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, register):
    for url in [STATUS, SETUP, VERIFY, RECOVERY, REMOVE, REGENERATE]:
        assert client.get(url)["Location"].startswith(f"{LOGIN}?next="), url
