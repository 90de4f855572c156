"""The emails this app sends."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from commissioning.emails import render_email

from .models import User


def welcome_email_send(*, user: User) -> None:
    """Email a new person a one-time link to set their password and sign in."""
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": f"{settings.SITE_URL}{path}"}
    parts = render_email("welcome", context)
    send_mail(
        subject=parts.subject,
        message=parts.text,
        html_message=parts.html,
        from_email=None,
        recipient_list=[user.email],
    )
