"""Notices (issue 17: a follower hears of each new comment "through the inbox and email digest,
by the existing reminder/notification rules"): each is a reminder claim of the notice rule,
unique on (rule, key, person, day) like every reminder, so a notice given twice is delivered
once; the claim becomes an inbox entry and goes by email at once, in the daily digest, or not at
all for someone who mutes what is not essential (notices are not). National admins switch
notices off by making the rule inactive."""

import datetime
import uuid

from django.db import transaction

from ..models import ReminderClaim, ReminderRule

NOTICE_RULE = "New comment on something followed"


def notice_rule() -> ReminderRule:
    rule, _ = ReminderRule.objects.get_or_create(
        name=NOTICE_RULE,
        defaults={"kind": ReminderRule.Kind.NOTICE, "working_days": 0, "essential": False},
    )
    return rule


def deliver_notice(
    *, key: str, user_ids: list[int], subject: str, link: str, on: datetime.date
) -> int:
    """Claim and deliver a notice to each person (commissioning.notices.notice). The claim's
    day is the event's, not the delivery's: a retry on a later day is still the same claim."""
    from . import _deliver_in_app

    rule = notice_rule()
    if not rule.active or not user_ids:
        return 0
    sweep = f"notice-{uuid.uuid4().hex[:24]}"
    with transaction.atomic():
        ReminderClaim.objects.bulk_create(
            [
                ReminderClaim(
                    rule=rule,
                    item_key=key[:60],
                    recipient_id=user_id,
                    occurrence=on,
                    due_on=on,
                    subject=subject[:250],
                    link=link[:300],
                    essential=False,
                    sweep=sweep,
                )
                for user_id in user_ids
            ],
            ignore_conflicts=True,
        )
        mine = list(ReminderClaim.objects.filter(sweep=sweep))
        _deliver_in_app(mine)
    return len(mine)
