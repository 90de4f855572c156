"""The timeline's emails (the in-app inbox is notifications.py)."""

import hashlib
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from commissioning.emails import one_line, render_text

from .models import ReminderClaim


def reminder_message_id(claims: list[ReminderClaim]) -> str:
    """The same Message-ID every time the same claims are sent, so that a resend after a worker
    died between the mail server's acceptance and the claim being marked sent can be recognised
    as a duplicate by mail systems that de-duplicate on it (issue 14)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    if any(c.pk is None for c in claims):  # not claimed (a preview): nothing to keep stable
        return make_msgid(domain=domain)
    key = "-".join(str(pk) for pk in sorted(c.pk for c in claims))
    if len(claims) > 1:
        key = "digest-" + hashlib.sha256(key.encode()).hexdigest()[:24]
    return f"<reminder-{key}@{domain}>"


def reminder_email(claims: list[ReminderClaim], user) -> EmailMultiAlternatives:
    """One reminder, or a digest of several, to `user` (not yet sent)."""
    context = {
        "user": user,
        "claims": claims,
        "site_url": settings.SITE_URL,
        "digest": len(claims) > 1,
    }
    subject = one_line(
        claims[0].subject
        if len(claims) == 1
        else f"Your {len(claims)} reminders from Collaborative Commissioning"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_text("emails/reminder-body.txt", context),
        to=[user.email],
        headers={"Message-ID": reminder_message_id(claims)},
    )
    message.attach_alternative(render_to_string("emails/reminder-body.html", context), "text/html")
    return message
