"""How the parts of issue 19's sign-in meet: a single sign-on session owes no second factor
(the provider asks for its own), and a personal API token is not held back by two-step
sign-in, as an admin-made token is not."""

from django.test import RequestFactory
from django.urls import reverse

from accounts import otp, sso, tokens
from tests.factories import make_authenticator


def test_a_national_admin_signed_in_through_sso_is_not_held_back(
    client, national_admin, second_factor_enforced
):
    client.force_login(national_admin)
    assert client.get(reverse("workspace:my-work")).status_code == 302  # owes a code
    session = client.session
    session[sso.SESSION_KEY] = {"provider": "nhsmail"}
    session.save()
    assert client.get(reverse("workspace:my-work")).status_code == 200
    bare = RequestFactory().get("/")
    bare.session = {}
    assert otp.second_factor_required(national_admin, bare)
    bare.session = {sso.SESSION_KEY: {"provider": "nhsmail"}}
    assert not otp.second_factor_required(national_admin, bare)


def test_an_sso_sign_in_owes_no_code_even_with_an_authenticator_set_up(
    rf, national_admin, second_factor_enforced
):
    make_authenticator(national_admin)
    request = rf.get("/")
    request.session = {}
    national_admin.backend = sso.BACKEND
    otp.on_signed_in(sender=type(national_admin), request=request, user=national_admin)
    assert otp.SESSION_PENDING not in request.session
    national_admin.backend = "django.contrib.auth.backends.ModelBackend"
    otp.on_signed_in(sender=type(national_admin), request=request, user=national_admin)
    assert request.session[otp.SESSION_PENDING] is True


def test_a_personal_token_is_not_held_back_by_two_step_sign_in(
    api_client, national_admin, second_factor_enforced
):
    _, raw = tokens.token_create(user=national_admin, name="Script", expires_on=None)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == national_admin.email


def test_your_account_says_how_you_sign_in_and_links_to_each_part(
    client, national_admin, django_assert_max_num_queries
):
    from accounts.models import ExternalIdentity

    client.force_login(national_admin)
    html = client.get(reverse("accounts:account")).content.decode()
    assert "Not linked." in html
    assert "Off." in html
    assert "None active" in html
    assert f'href="{reverse("accounts:two-step")}"' in html
    assert f'href="{reverse("accounts:api-tokens")}"' in html

    make_authenticator(national_admin)
    for number in range(5):
        tokens.token_create(user=national_admin, name=f"Script {number}", expires_on=None)
    ExternalIdentity.objects.create(
        provider="nhsmail", subject="sub-1", user=national_admin, email=national_admin.email
    )
    with django_assert_max_num_queries(14):
        html = client.get(reverse("accounts:account")).content.decode()
    assert "nhsmail: linked" in html  # the provider's key when it is no longer configured
    assert "On: a code from your authenticator app" in html
    assert "10 recovery codes left" in html
    assert "5 active tokens" in html
