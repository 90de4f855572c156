"""Pages of one's own account and session (issue 19): Your account, the session warning and
signed-out pages for browsers without JavaScript, the check and "Stay signed in" endpoint the
dialog calls, and the national admins' list of every sign-in."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from . import otp, selectors, sessions, sso
from .models import SignIn
from .permissions import require_role_manager, scopes


def _minutes(seconds: float) -> str:
    """ "2 minutes", "1 minute", "30 seconds": how the warning reads."""
    if seconds >= 60:
        minutes = round(seconds / 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    whole = max(int(seconds), 0)
    return f"{whole} second{'s' if whole != 1 else ''}"


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Your account: who you are, your roles, how you sign in (single sign-on links, two-step
    sign-in, API tokens) and your recent sign-ins."""
    user = request.user
    providers = {provider.key: provider.label for provider in sso.providers()}
    return render(
        request,
        "accounts/account.html",
        {
            "person": user,
            "roles": scopes(user).assignments,
            "sign_ins": selectors.sign_ins_of(user),
            "two_step": otp.status_of(user, request),
            "signed_in_with_sso": sso.signed_in_with_sso(request),
            "sso_links": [
                (providers.get(link.provider, link.provider), link)
                for link in selectors.sso_links_of(user)
            ],
            "active_tokens": sum(token.is_active for token in selectors.tokens_of(user)),
        },
    )


@require_http_methods(["GET", "POST"])
def session(request: HttpRequest) -> HttpResponse:
    """GET: seconds left (not activity). POST: "Stay signed in" — the session starts its
    idle time again; the dialog gets JSON, a form goes back to `next`."""
    if not request.user.is_authenticated:
        if request.method == "GET" or "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"detail": sessions.EXPIRED_MESSAGE}, status=401)
        return redirect(sessions.signed_out_url(request.POST.get("next", "")))
    if request.method == "POST":
        sessions.mark_active(request)
        if "application/json" not in request.headers.get("Accept", ""):
            return redirect(sessions.safe_next(request, request.POST.get("next")))
    return JsonResponse({"seconds_left": sessions.seconds_left(request)})


def session_ending(request: HttpRequest) -> HttpResponse:
    """ "You will be signed out soon", where a page's refresh takes a browser without
    JavaScript; looking at it is not activity."""
    next_path = sessions.safe_next(request, request.GET.get("next"))
    if not request.user.is_authenticated:
        return redirect(sessions.signed_out_url(next_path))
    left = sessions.seconds_left(request)
    return render(
        request,
        "accounts/session_ending.html",
        {
            "next": next_path,
            "left": _minutes(left),
            "refresh_seconds": left + 1,
            "signed_out_url": sessions.signed_out_url(next_path),
        },
    )


def signed_out(request: HttpRequest) -> HttpResponse:
    """ "You have been signed out", after inactivity; a person still signed in (active in
    another tab) goes back to where they were."""
    next_path = sessions.safe_next(request, request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_path)
    return render(
        request,
        "accounts/signed_out.html",
        {
            "idle": _minutes(sessions.idle_seconds()),
            "sign_in_url": f"{reverse('accounts:login')}?{_next_query(next_path)}",
        },
    )


def _next_query(next_path: str) -> str:
    return urlencode({"next": next_path})


@login_required
def sign_in_list(request: HttpRequest) -> HttpResponse:
    """Every sign-in, newest first, filterable by outcome (national admins)."""
    require_role_manager(request.user)
    outcome = request.GET.get("outcome", "")
    page = Paginator(selectors.sign_ins(outcome=outcome), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "accounts/sign_in_list.html",
        {
            "page": page,
            "outcome": outcome if outcome in SignIn.Outcome.values else "",
            "outcomes": SignIn.Outcome.choices,
            "query": params.urlencode(),
            "breadcrumbs": [{"label": "People and roles", "url": reverse("accounts:people")}],
        },
    )
