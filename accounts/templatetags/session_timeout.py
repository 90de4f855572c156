"""The idle-timeout warning on every signed-in page (issue 19): `{% session_timeout_refresh %}`
in the head (without JavaScript, a refresh to "You will be signed out soon" before the end) and
`{% session_timeout_dialog %}` in the body (the dialog static/js/session-timeout.mjs opens)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from accounts import sessions

register = template.Library()

_OWN_PAGES = ("accounts:session-ending", "accounts:signed-out")


def _timeout(context) -> dict | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False):
        return None
    if not sessions.idle_seconds() or request.path in {reverse(name) for name in _OWN_PAGES}:
        return None
    left = sessions.seconds_left(request)
    warning = int(sessions.warning_seconds())
    here = request.get_full_path()
    return {
        "seconds_left": left,
        "warning_seconds": warning,
        "refresh_seconds": max(left - warning, 0),
        "ending_url": f"{reverse('accounts:session-ending')}?{urlencode({'next': here})}",
        "signed_out_url": sessions.signed_out_url(here),
        "session_url": reverse("accounts:session"),
    }


@register.inclusion_tag("accounts/_session_refresh.html", takes_context=True)
def session_timeout_refresh(context) -> dict:
    return {"timeout": _timeout(context)}


@register.inclusion_tag("accounts/_session_dialog.html", takes_context=True)
def session_timeout_dialog(context) -> dict:
    return {"timeout": _timeout(context), "csrf_token": context.get("csrf_token")}
