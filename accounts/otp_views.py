"""The two-step sign-in pages (issue 19): status, set-up, the code step, recovery codes and
turning it off. Every page acts on the signed-in person's own devices only (no ids in URLs)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from commissioning.forms import apply_error

from . import otp, sessions
from .forms import AuthenticatorCodeForm, RecoveryCodeForm

# While a code is still owed, the header's menu would only lead back here.
_HALF_SIGNED_IN = {"nav_items": None, "header_items": None}


def _next_url(request: HttpRequest) -> str:
    return sessions.safe_next(request, request.POST.get("next") or request.GET.get("next", ""))


def _time(moment) -> str:
    return date_format(timezone.localtime(moment), "TIME_FORMAT")


def _signed_in_with(request: HttpRequest, device) -> None:
    otp_login(request, device)
    request.session.pop(otp.SESSION_PENDING, None)


def _show_codes_once(request: HttpRequest, codes: list[str]) -> HttpResponse:
    request.session[otp.SESSION_NEW_CODES] = codes
    return redirect("accounts:two-step-codes")


@login_required
def two_step(request: HttpRequest) -> HttpResponse:
    """The person's two-step sign-in status, with what they may do next."""
    return render(
        request, "accounts/two_step.html", {"status": otp.status_of(request.user, request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_step_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (or a new one, replacing the old): QR code or typed key,
    then a code from the app to confirm it."""
    user = request.user
    enrolled = otp.has_second_factor(user)
    if enrolled and not user.is_verified():
        return redirect(f"{resolve_url('accounts:two-step-verify')}?{request.GET.urlencode()}")
    device = otp.authenticator_setup_start(user=user)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp.authenticator_setup_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except otp.SecondFactorError as error:
            apply_error(form, error)
        else:
            _signed_in_with(request, device)
            request.session[otp.SESSION_NEXT] = _next_url(request)
            return _show_codes_once(request, codes)
    context = {
        "form": form,
        "qr_svg": otp.qr_svg(device),
        "secret": otp.secret_in_groups(device),
        "replacing": enrolled,
        "required": otp.second_factor_required(user, request),
        "next": request.GET.get("next", ""),
    }
    if not user.is_verified():
        context.update(_HALF_SIGNED_IN)
    return render(request, "accounts/two_step_setup.html", context)


@login_required
def two_step_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once: the page forgets them as it shows them."""
    codes = request.session.pop(otp.SESSION_NEW_CODES, None)
    if not codes:
        messages.info(request, "Recovery codes are shown only once. You can make new ones here.")
        return redirect("accounts:two-step")
    return render(
        request,
        "accounts/two_step_codes.html",
        {
            "codes": [otp.recovery_code_shown(code) for code in codes],
            "next": request.session.pop(otp.SESSION_NEXT, "") or resolve_url("accounts:two-step"),
        },
    )


def _code_step(request: HttpRequest, *, recovery: bool) -> HttpResponse:
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not otp.has_second_factor(user):
        return redirect(f"{resolve_url('accounts:two-step-setup')}?{request.GET.urlencode()}")
    form = (RecoveryCodeForm if recovery else AuthenticatorCodeForm)(request.POST or None)
    until = otp.locked_until(user)
    if until is None and request.method == "POST" and form.is_valid():
        try:
            device = otp.second_factor_verify(
                user=user, code=form.cleaned_data["code"], recovery=recovery
            )
        except otp.LockedOut as locked:
            until = locked.until
        except otp.SecondFactorError as error:
            apply_error(form, error)
        else:
            _signed_in_with(request, device)
            if recovery:
                left = device.token_set.count()
                messages.info(
                    request,
                    f"You have {left} recovery code{'' if left == 1 else 's'} left. "
                    "Make new ones from Two-step sign-in if you are running out.",
                )
            return redirect(_next_url(request))
    context = {"form": form, "next": request.GET.get("next", ""), **_HALF_SIGNED_IN}
    if until is not None:
        context["until"] = until
        return render(request, "accounts/two_step_locked.html", context, status=429)
    template = "two_step_recovery" if recovery else "two_step_verify"
    return render(request, f"accounts/{template}.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_step_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the authenticator app."""
    return _code_step(request, recovery=False)


@login_required
@require_http_methods(["GET", "POST"])
def two_step_recovery(request: HttpRequest) -> HttpResponse:
    """The second step with a recovery code instead (each works once)."""
    return _code_step(request, recovery=True)


@login_required
@require_http_methods(["GET", "POST"])
def two_step_recovery_regenerate(request: HttpRequest) -> HttpResponse:
    """Make new recovery codes (the old ones stop working), after a confirming step."""
    if not otp.has_second_factor(request.user):
        return redirect("accounts:two-step")
    if request.method == "POST":
        return _show_codes_once(request, otp.recovery_codes_regenerate(user=request.user))
    return render(request, "accounts/two_step_regenerate.html", {})


@login_required
@require_http_methods(["GET", "POST"])
def two_step_remove(request: HttpRequest) -> HttpResponse:
    """Turn two-step sign-in off, with a current code; refused to those who must have it."""
    status = otp.status_of(request.user, request)
    if not status.enrolled:
        return redirect("accounts:two-step")
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp.authenticator_remove(
                user=request.user, code=form.cleaned_data["code"], request=request
            )
        except otp.LockedOut as locked:
            form.add_error("code", f"Too many wrong codes. Try again after {_time(locked.until)}")
        except otp.SecondFactorError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Two-step sign-in is off.")
            return redirect("accounts:two-step")
    return render(request, "accounts/two_step_remove.html", {"form": form, "status": status})
