"""The timeline's emails (the in-app inbox is notifications.py)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from commissioning.emails import one_line, render_text

from .models import ReminderClaim


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
    )
    message.attach_alternative(render_to_string("emails/reminder-body.html", context), "text/html")
    return message
