"""Demo entries in the delivery log (issue 14): a welcome email that went, and one the mail
server refused six times, waiting for a national admin to retry it from /timeline/delivery/."""

import datetime

from django.utils import timezone

from commissioning.models import OutboxItem

SENT = "demo:welcome-sent"
REFUSED = "demo:welcome-refused"


def demo_delivery_load(by_email: dict) -> None:
    """Idempotent: the two entries are keyed, and kept as they are once made."""
    now = timezone.now()
    sent_to = by_email["wessex.hub@example.nhs.uk"]
    refused_to = by_email["yorkshire.hub@example.nhs.uk"]
    for key, person, state, error in (
        (SENT, sent_to, OutboxItem.State.DONE, ""),
        (
            REFUSED,
            refused_to,
            OutboxItem.State.FAILED,
            f"SMTPRecipientsRefused: {{'{refused_to.email}': (550, '5.1.1 Mailbox unavailable')}}",
        ),
    ):
        OutboxItem.objects.get_or_create(
            key=key,
            defaults={
                "task": "accounts.tasks.user_send_welcome",
                "args": [person.pk],
                "label": f"Welcome email to {person}",
                "state": state,
                "attempts": 1 if state == OutboxItem.State.DONE else 6,
                "last_error": error,
                "next_attempt_at": now,
                "changed_at": now - datetime.timedelta(hours=2),
                "done_at": now - datetime.timedelta(hours=2) if error == "" else None,
            },
        )
