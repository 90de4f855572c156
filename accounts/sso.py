"""Single sign-on over OpenID Connect (issue 19): the configured providers, their discovery
documents, and the authentication backend that trades a code for checked claims.

mozilla-django-oidc is configured for one provider by settings; here the provider is chosen per
request (the key in the URL, kept with the state in the session), so the backend is built for
one provider and the views (sso_views.py) call it directly, never through
`django.contrib.auth.authenticate`: django-axes, which guards password sign-in, is not involved.
Who a set of claims may sign in as is decided in services.sso_user_for.
"""

import hashlib
from dataclasses import dataclass

import jwt
import requests
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from requests.exceptions import RequestException

from .models import User, email_key

# The authentication backend an SSO sign-in is recorded under, and the session's note that
# it was one (what sign-out needs; two-step sign-in exempts such a session, accounts.otp).
BACKEND = "accounts.sso.SSOBackend"
SESSION_KEY = "sso"


def signed_in_with_sso(request) -> bool:
    """Whether this session was signed in through a single sign-on provider."""
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(SESSION_KEY))


DISCOVERY_SECONDS = 60 * 60
REQUIRED = ("discovery_url", "client_id", "client_secret", "allowed_domains")
TRUE = {"1", "true", "yes", "on"}


class SSORefused(Exception):
    """A single sign-on that must not sign anyone in; `reason` picks the page that explains it
    (templates/accounts/sso_refused.html): failed, expired, unavailable, unverified, domain,
    unknown, conflict."""

    def __init__(self, reason: str, *, email: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.email = email


@dataclass(frozen=True)
class Provider:
    """One configured provider, from settings.OIDC_PROVIDERS[key]."""

    key: str
    label: str
    discovery_url: str
    client_id: str
    client_secret: str
    allowed_domains: tuple[str, ...]
    email_claim: str = "email"
    scopes: str = "openid email profile"
    sign_algo: str = "RS256"
    trust_email: bool = False

    def allows(self, email: str) -> bool:
        """Whether the address is in one of the allowed domains (exactly; case ignored)."""
        _, at, domain = email_key(email).rpartition("@")
        return bool(at) and domain in self.allowed_domains


def provider_from(key: str, raw: dict) -> Provider:
    """A Provider from one entry of settings.OIDC_PROVIDERS (strings, as the environment gives
    them). Raises ImproperlyConfigured naming what is missing."""
    missing = [name for name in REQUIRED if not (raw.get(name) or "").strip()]
    if missing:
        names = ", ".join(f"OIDC_{key.upper()}_{name.upper()}" for name in missing)
        raise ImproperlyConfigured(f"Single sign-on provider {key!r} needs {names}.")
    domains = tuple(
        sorted({d.strip().lower().lstrip("@") for d in raw["allowed_domains"].split(",")} - {""})
    )
    return Provider(
        key=key,
        label=(raw.get("label") or "").strip() or key,
        discovery_url=raw["discovery_url"].strip(),
        client_id=raw["client_id"].strip(),
        client_secret=raw["client_secret"].strip(),
        allowed_domains=domains,
        email_claim=(raw.get("email_claim") or "").strip() or "email",
        scopes=(raw.get("scopes") or "").strip() or "openid email profile",
        sign_algo=(raw.get("sign_algo") or "").strip() or "RS256",
        trust_email=(raw.get("trust_email") or "").strip().lower() in TRUE,
    )


def providers() -> list[Provider]:
    """Every configured provider, in the order OIDC_PROVIDERS names them; [] when none."""
    configured = getattr(settings, "OIDC_PROVIDERS", {}) or {}
    return [provider_from(key, raw) for key, raw in configured.items()]


def provider(key: str) -> Provider | None:
    return next((each for each in providers() if each.key == key), None)


def discovery_cache_key(url: str) -> str:
    return "sso:discovery:" + hashlib.sha256(url.encode()).hexdigest()


def discover(chosen: Provider) -> dict:
    """The provider's discovery document (cached an hour). Fetched only when a sign-in starts
    or returns, never at start-up. Raises SSORefused("unavailable") if it cannot be had."""
    cache_key = discovery_cache_key(chosen.discovery_url)
    document = cache.get(cache_key)
    if document is None:
        try:
            response = requests.get(chosen.discovery_url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (RequestException, ValueError) as problem:
            raise SSORefused("unavailable") from problem
        needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(document, dict) or not all(document.get(k) for k in needed):
            raise SSORefused("unavailable")
        cache.set(cache_key, document, DISCOVERY_SECONDS)
    return document


class SSOBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend for one provider, chosen per request.

    Its settings come from the Provider and discovery document instead of OIDC_* settings;
    the ID token's signature (JWKS), nonce, issuer, audience and expiry are checked, and the
    userinfo claims are merged over the ID token's only when their `sub` is the same.
    `get_user` is ModelBackend's, so a session signed in this way keeps working; it grants no
    permissions of its own.
    """

    def __init__(self, chosen: Provider | None = None, document: dict | None = None) -> None:
        self.UserModel = User
        self.provider = chosen
        self.document = document or {}
        self.OIDC_OP_TOKEN_ENDPOINT = self.document.get("token_endpoint")
        self.OIDC_OP_USER_ENDPOINT = self.document.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = self.document.get("jwks_uri")
        self.OIDC_RP_CLIENT_ID = chosen.client_id if chosen else None
        self.OIDC_RP_CLIENT_SECRET = chosen.client_secret if chosen else None
        self.OIDC_RP_SIGN_ALGO = chosen.sign_algo if chosen else "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None

    def get_settings(self, attr, *args):
        fixed = {"OIDC_USE_NONCE": True, "OIDC_VERIFY_SSL": True, "OIDC_CREATE_USER": False}
        if attr in fixed:
            return fixed[attr]
        if attr == "OIDC_TIMEOUT":
            return settings.OIDC_TIMEOUT
        if attr == "OIDC_RP_SCOPES":
            return self.provider.scopes if self.provider else "openid email"
        return super().get_settings(attr, *args)

    def authenticate(self, request, *, sso_code=None, nonce=None, code_verifier=None, **never):
        """Keyword-only on purpose: Django's authenticate() with a username and password
        cannot bind to it, so password sign-in never reaches this backend. Used directly by
        the callback view through claims_for(); returns None here."""
        return None

    def claims_for(self, *, code: str, nonce: str, code_verifier: str, redirect_uri: str):
        """Trade the code for tokens and return (claims, id_token). Raises SSORefused."""
        payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        try:
            tokens = self.get_token(payload)
            id_token = tokens.get("id_token")
            if not id_token:
                raise SuspiciousOperation("No ID token in the token response.")
            claims = dict(self.verify_token(id_token, nonce=nonce))
            if self.OIDC_OP_USER_ENDPOINT and tokens.get("access_token"):
                extra = self.get_userinfo(tokens["access_token"], id_token, claims)
                if extra.get("sub") != claims.get("sub"):
                    raise SuspiciousOperation("The userinfo is for someone else.")
                claims.update(extra)
        except (
            RequestException,
            SuspiciousOperation,
            jwt.PyJWTError,
            ValueError,
            KeyError,
        ) as problem:
            raise SSORefused("failed") from problem
        return claims, id_token

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != self.document.get("issuer"):
            raise SuspiciousOperation("The ID token is from another issuer.")
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is for another client.")
        if "exp" not in payload or not payload.get("sub"):
            raise SuspiciousOperation("The ID token has no expiry or subject.")
        return payload

    # Permissions are decided by roles (rules backend); this backend grants none.
    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()


@checks.register(checks.Tags.security)
def check_providers(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse an incomplete provider configuration at start-up (no network is used)."""
    try:
        providers()
    except ImproperlyConfigured as problem:
        return [checks.Error(str(problem), id="accounts.E019")]
    return []
