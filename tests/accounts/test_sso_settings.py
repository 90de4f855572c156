"""Single sign-on settings (issue 19): read from the environment, checked at start-up, and
never a network call."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts import sso

ROOT = Path(__file__).resolve().parents[2]
COMPLETE = {
    "discovery_url": "https://login.example/.well-known/openid-configuration",
    "client_id": "cc",
    "client_secret": "s3cret",
    "allowed_domains": "nhs.net",
}


def test_the_environment_names_the_providers_and_each_ones_settings():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OIDC_")},
        "DJANGO_SETTINGS_MODULE": "commissioning.settings",
        "OIDC_PROVIDERS": "nhsmail,Acme",
        "OIDC_NHSMAIL_DISCOVERY_URL": "https://nhsmail.example/.well-known/openid-configuration",
        "OIDC_NHSMAIL_CLIENT_ID": "cc-nhsmail",
        "OIDC_NHSMAIL_CLIENT_SECRET": "one",
        "OIDC_NHSMAIL_ALLOWED_DOMAINS": "nhs.net",
        "OIDC_NHSMAIL_LABEL": "NHSmail",
        "OIDC_ACME_DISCOVERY_URL": "https://acme.example/.well-known/openid-configuration",
        "OIDC_ACME_CLIENT_ID": "cc-acme",
        "OIDC_ACME_CLIENT_SECRET": "two",
        "OIDC_ACME_ALLOWED_DOMAINS": "acme.nhs.uk, Acme-ICB.nhs.uk",
        "OIDC_ACME_EMAIL_CLAIM": "upn",
        "OIDC_ACME_TRUST_EMAIL": "true",
    }
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "from accounts import sso; "
        "print(json.dumps([p.__dict__ for p in sso.providers()]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    nhsmail, acme = json.loads(out.stdout.strip().splitlines()[-1])
    assert (nhsmail["key"], nhsmail["label"], nhsmail["client_id"]) == (
        "nhsmail",
        "NHSmail",
        "cc-nhsmail",
    )
    assert (nhsmail["email_claim"], nhsmail["trust_email"]) == ("email", False)
    assert acme["key"] == "acme"
    assert acme["allowed_domains"] == ["acme-icb.nhs.uk", "acme.nhs.uk"]
    assert (acme["email_claim"], acme["trust_email"]) == ("upn", True)


def test_nothing_configured_means_no_providers(settings):
    settings.OIDC_PROVIDERS = {}
    assert sso.providers() == []
    assert sso.check_providers() == []


def test_defaults():
    provider = sso.provider_from("nhsmail", COMPLETE)
    assert provider.label == "nhsmail"
    assert provider.email_claim == "email"
    assert provider.scopes == "openid email profile"
    assert provider.sign_algo == "RS256"
    assert provider.trust_email is False
    assert provider.allowed_domains == ("nhs.net",)


def test_a_provider_without_its_essentials_is_refused_naming_the_variables(settings):
    with pytest.raises(ImproperlyConfigured) as refused:
        sso.provider_from("acme", {**COMPLETE, "client_secret": "", "allowed_domains": " "})
    assert "OIDC_ACME_CLIENT_SECRET" in str(refused.value)
    assert "OIDC_ACME_ALLOWED_DOMAINS" in str(refused.value)

    settings.OIDC_PROVIDERS = {"acme": {**COMPLETE, "discovery_url": ""}}
    [error] = sso.check_providers()
    assert error.id == "accounts.E019"
    assert "OIDC_ACME_DISCOVERY_URL" in error.msg


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("nadia@nhs.net", True),
        ("Nadia@NHS.NET", True),
        (" nadia@nhs.net ", True),
        ("nadia@acme.nhs.uk", True),
        ("nadia@sub.nhs.net", False),
        ("nadia@nhs.net.evil.example", False),
        ("nadia@gmail.com", False),
        ("nhs.net", False),
        ("", False),
    ],
)
def test_the_domain_must_be_one_allowed_exactly(email, allowed):
    provider = sso.provider_from("nhsmail", {**COMPLETE, "allowed_domains": "nhs.net,@ACME.nhs.uk"})
    assert provider.allows(email) is allowed
