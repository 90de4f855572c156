"""Emails (issue 14, probe finding 5): the plain-text part and the subject carry names exactly as
typed; only the HTML part is escaped. The oversight and review emails are tested beside their
apps; here the welcome, reminder and password-reset emails and the shared subject rule."""

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail

from accounts import services as accounts_services
from accounts.models import Role, User
from commissioning.emails import render_email
from hubs.models import Hub
from tests.email_text import NAME, assert_verbatim
from tests.factories import make_user
from timeline.emails import reminder_email
from timeline.models import ReminderClaim

pytestmark = pytest.mark.django_db


def test_the_welcome_email_after_a_role_grant(national_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.role_grant(
            by=national_admin,
            email="oneill@example.nhs.uk",
            full_name=NAME,
            role=Role.HUB_STAFF,
            hub=Hub.objects.get(slug="wessex"),
        )
    [message] = mail.outbox
    assert message.body.startswith(f"Dear {NAME},")
    assert_verbatim(message, in_subject=False)


def test_a_reminder_and_a_digest(register):
    person = User(email="oneill@example.nhs.uk", full_name=NAME)
    claim = ReminderClaim(
        subject=f"Agree the terms of reference of {NAME}",
        link="/groups/1/",
        occurrence=datetime.date(2016, 1, 4),
        due_on=datetime.date(2016, 1, 4),
    )
    one = reminder_email([claim], person)
    assert one.subject == claim.subject
    assert_verbatim(one)
    digest = reminder_email([claim, claim], person)
    assert digest.subject == "Your 2 reminders from Collaborative Commissioning"
    assert_verbatim(digest, in_subject=False)


def test_the_password_reset_email(client, register):
    make_user("o'neill@example.nhs.uk", NAME)
    client.post("/accounts/password-reset/", {"email": "o'neill@example.nhs.uk"})
    [message] = mail.outbox
    assert "reset the password for o'neill@example.nhs.uk" in message.body
    assert "o&#x27;neill" in message.alternatives[0][0]


@pytest.mark.parametrize(
    "name",
    ["welcome", "invitation", "representation-request", "reviewer-invitation"],
)
def test_every_subject_is_one_line_whatever_the_data(name):
    """A name with a line break in it cannot split a subject header."""
    odd = f"{NAME}\nBcc: someone@example.com"
    org = SimpleNamespace(name=odd, kind_label="CCG")
    context = {
        "user": SimpleNamespace(full_name=odd, email="x@example.nhs.uk"),
        "membership": SimpleNamespace(
            ccg=org, represented_by=org, group=SimpleNamespace(name=odd, hub=org), note=""
        ),
        "review": SimpleNamespace(hub=org, cycle="First cycle"),
        "reviewer": SimpleNamespace(role="lead"),
        "link": "https://example.nhs.uk/",
    }
    subject = render_email(name, context).subject
    assert "\n" not in subject
    assert subject.strip() == subject
