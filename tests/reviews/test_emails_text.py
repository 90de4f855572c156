"""The reviewer invitation carries names as typed in its text part and subject (issue 14)."""

import pytest
from django.core import mail

from hubs.models import Hub
from reviews import emails as reviews_emails
from reviews import services as reviews_services
from reviews.models import Reviewer
from tests.email_text import NAME, assert_verbatim

pytestmark = pytest.mark.django_db


def test_a_reviewer_invitation(invited_review, north_reviewer, wessex_officer):
    Hub.objects.filter(pk=invited_review.hub_id).update(name=NAME)
    placed = reviews_services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role="lead"
    )
    mail.outbox.clear()
    assert reviews_emails.reviewer_invitation_send(reviewer_id=placed.pk) == 1
    [message] = mail.outbox
    assert message.subject == f"You are invited to lead the peer review of the {NAME} hub"
    assert_verbatim(message)
    assert Reviewer.objects.get(pk=placed.pk).status == Reviewer.Status.INVITED
