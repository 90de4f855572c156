"""Personal API tokens' pages (issue 19): your tokens, a new one (its secret shown once) and
revoking one; national admins revoke anyone's from the person's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.forms import apply_error

from . import selectors, tokens
from .forms import ApiTokenForm
from .permissions import get_token_for_user


def _tokens_crumbs() -> list[dict]:
    return [{"label": "API tokens", "url": reverse("accounts:api-tokens")}]


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in person's tokens, and the form that makes one. Anyone signed in, with or
    without a role, makes tokens for themselves: a token does only what its owner may."""
    latest = tokens.latest_expiry()
    form = ApiTokenForm(request.POST or None, latest_expiry=latest)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = tokens.token_create(user=request.user, **form.cleaned_data)
        except tokens.TokenError as error:
            apply_error(form, error)
        else:
            response = render(
                request,
                "accounts/api_token_created.html",
                {"token": token, "secret": secret, "breadcrumbs": _tokens_crumbs()},
            )
            response["Cache-Control"] = "no-store"  # the secret is in it, once
            return response
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": selectors.tokens_of(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_token_for_user(request.user, pk, write=True)
    own = token.user_id == request.user.pk
    back = (
        reverse("accounts:api-tokens")
        if own
        else reverse("accounts:person-detail", args=[token.user_id])
    )
    if request.method == "POST":
        try:
            tokens.token_revoke(token=token, by=request.user)
        except tokens.TokenAlreadyRevoked:
            messages.info(request, f"{token.name} had already been revoked.")
        else:
            messages.success(request, f"Revoked {token.name}. It no longer works.")
        return redirect(back)
    crumbs = (
        _tokens_crumbs()
        if own
        else [
            {"label": "People and roles", "url": reverse("accounts:people")},
            {"label": str(token.user), "url": back},
        ]
    )
    return render(
        request,
        "accounts/api_token_revoke.html",
        {"token": token, "own": own, "back": back, "breadcrumbs": crumbs},
    )
