"""Sign-in with single sign-on (issue 19): the sign-in page's buttons, the start of the
authorisation code flow (with PKCE, state and nonce), the callback, the refusal pages and a
sign-out that also ends the provider's session where it offers one."""

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.views.decorators.http import require_GET
from mozilla_django_oidc.utils import (
    add_state_and_verifier_and_nonce_to_session,
    generate_code_challenge,
)
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, get_next_url

from . import services, sso

BACKEND = sso.BACKEND
STATES = "oidc_states"  # mozilla-django-oidc's session key: state -> nonce, verifier, when
SIGNED_IN = sso.SESSION_KEY  # the session's note of how it was signed in, for sign-out
LOG = logging.getLogger(__name__)
REFUSED_STATUS = {"failed": 400, "expired": 400, "unavailable": 503}


class SignInView(auth_views.LoginView):
    """Django's sign-in page, with a button for each configured provider."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_providers"] = sso.providers()
        return context


class SignOutView(auth_views.LogoutView):
    """Ends the local session; after a single sign-on, sends the browser on to the provider's
    end_session_endpoint (if it has one) with id_token_hint and a way back to sign-in."""

    def post(self, request, *args, **kwargs):
        signed_in = request.session.get(SIGNED_IN) if request.user.is_authenticated else None
        response = super().post(request, *args, **kwargs)
        if signed_in and signed_in.get("end_session_endpoint"):
            query = urlencode(
                {
                    "id_token_hint": signed_in["id_token"],
                    "post_logout_redirect_uri": request.build_absolute_uri(
                        resolve_url(settings.LOGOUT_REDIRECT_URL)
                    ),
                    "client_id": signed_in["client_id"],
                }
            )
            return HttpResponseRedirect(f"{signed_in['end_session_endpoint']}?{query}")
        return response


def _provider_or_404(key: str) -> sso.Provider:
    chosen = sso.provider(key)
    if chosen is None:
        raise Http404("No such sign-in provider.")
    return chosen


def _callback_uri(request: HttpRequest, chosen: sso.Provider) -> str:
    return request.build_absolute_uri(reverse("accounts:sso-callback", args=[chosen.key]))


def refused(request: HttpRequest, refusal: sso.SSORefused, chosen: sso.Provider) -> HttpResponse:
    cause = refusal.__cause__
    LOG.warning(
        "Single sign-on with %s refused (%s)%s",
        chosen.key,
        refusal.reason,
        f": {type(cause).__name__}: {cause}" if cause else "",
    )
    return render(
        request,
        "accounts/sso_refused.html",
        {"reason": refusal.reason, "email": refusal.email, "provider": chosen},
        status=REFUSED_STATUS.get(refusal.reason, 403),
    )


@require_GET
def sso_start(request: HttpRequest, provider: str) -> HttpResponse:
    """Send the browser to the provider, remembering state, nonce, PKCE verifier, provider and
    where to go next in the session (mozilla-django-oidc's `oidc_states`)."""
    chosen = _provider_or_404(provider)
    try:
        document = sso.discover(chosen)
    except sso.SSORefused as refusal:
        return refused(request, refusal, chosen)
    state = get_random_string(32)
    verifier = get_random_string(64)
    params = {
        "response_type": "code",
        "scope": chosen.scopes,
        "client_id": chosen.client_id,
        "redirect_uri": _callback_uri(request, chosen),
        "state": state,
        "nonce": get_random_string(32),
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    add_state_and_verifier_and_nonce_to_session(request, state, params, verifier)
    request.session[STATES][state].update(
        provider=chosen.key, next=get_next_url(request, "next") or ""
    )
    request.session.modified = True
    return HttpResponseRedirect(f"{document['authorization_endpoint']}?{urlencode(params)}")


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code and the state. The state must be
    one this session started for this provider, within OIDC_STATE_MAX_AGE, and is used once."""

    def get(self, request, provider):
        chosen = _provider_or_404(provider)
        try:
            self.user = self._signed_in_user(request, chosen)
        except sso.SSORefused as refusal:
            return refused(request, refusal, chosen)
        return self.login_success()

    def _signed_in_user(self, request, chosen):
        started = request.session.get(STATES, {}).pop(request.GET.get("state", ""), None)
        request.session.modified = True
        if started is None or started.get("provider") != chosen.key:
            raise sso.SSORefused("failed")
        if time.time() - started.get("added_on", 0) > settings.OIDC_STATE_MAX_AGE:
            raise sso.SSORefused("expired")
        if request.GET.get("error") or not request.GET.get("code"):
            raise sso.SSORefused("failed")
        request.session["oidc_login_next"] = started.get("next") or None
        document = sso.discover(chosen)
        backend = sso.SSOBackend(chosen, document)
        claims, id_token = backend.claims_for(
            code=request.GET["code"],
            nonce=started["nonce"],
            code_verifier=started["code_verifier"],
            redirect_uri=_callback_uri(request, chosen),
        )
        user = services.sso_user_for(provider=chosen, claims=claims)
        user.backend = BACKEND
        self._note = {
            "provider": chosen.key,
            "client_id": chosen.client_id,
            "id_token": id_token,
            "end_session_endpoint": document.get("end_session_endpoint", ""),
        }
        return user

    def login_success(self):
        response = super().login_success()
        self.request.session[SIGNED_IN] = self._note
        self.request.session.pop("oidc_login_next", None)
        services.sso_signed_in(user=self.user, provider_key=self._note["provider"])
        return response


sso_callback = SSOCallbackView.as_view()
