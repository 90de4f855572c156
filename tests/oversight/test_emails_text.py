"""Oversight emails carry names as typed in their text part and subject (issue 14)."""

import pytest
from django.core import mail

from hubs.models import CCG
from oversight import emails as oversight_emails
from oversight import services as oversight_services
from oversight.models import CCGMembership
from oversight.services import Answer
from tests.email_text import NAME, assert_verbatim
from tests.oversight.group_api import invite, place

pytestmark = pytest.mark.django_db


def test_an_invitation_to_an_oversight_group(group, nec_hub_officer, sunderland_lead):
    CCG.objects.filter(ods_code="00P").update(name=NAME)
    invite(group, nec_hub_officer, "00P")
    mail.outbox.clear()
    assert oversight_emails.invitations_send(membership_ids=[place(group, "00P").pk]) == 1
    [message] = mail.outbox
    assert message.subject == f"{NAME} is invited to join the NEC Oversight Group"
    assert_verbatim(message)


def test_a_representation_request(group, nec_hub_officer, sunderland_lead, tyne_lead):
    CCG.objects.filter(ods_code="00L").update(name=NAME)
    invite(group, nec_hub_officer, "00P", "00L")
    member = place(group, "00P")
    oversight_services.membership_respond(
        by=sunderland_lead, membership=member, version=member.version, answer=Answer.ACCEPT
    )
    asking = place(group, "00L")
    oversight_services.membership_respond(
        by=tyne_lead,
        membership=asking,
        version=asking.version,
        answer=Answer.REPRESENT,
        represented_by=CCG.objects.get(ods_code="00P"),
        note="Tom & Jerry's note",
    )
    asking.refresh_from_db()
    assert asking.status == CCGMembership.Status.REPRESENTATION_REQUESTED
    mail.outbox.clear()
    assert oversight_emails.representation_request_send(membership_id=asking.pk) == 1
    [message] = mail.outbox
    assert_verbatim(message)
    assert "Their note: Tom & Jerry's note" in message.body
