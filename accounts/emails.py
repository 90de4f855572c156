"""The emails this app sends."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

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
    send_mail(
        subject=render_to_string("emails/welcome-subject.txt", context).strip(),
        message=render_to_string("emails/welcome-body.txt", context),
        html_message=render_to_string("emails/welcome-body.html", context),
        from_email=None,
        recipient_list=[user.email],
    )
