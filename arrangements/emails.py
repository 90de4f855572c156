"""The reminder that an arrangement's review is due (issue 16: "Reviews due remind their
owners"), to the people who run it: the staff of its system's hub or, if the hub has none, the
system's regional team. Only active people with an active role are written to, each once."""

import datetime

from django.conf import settings
from django.core.mail import send_mail

from accounts.models import Role, RoleAssignment, User
from commissioning.emails import render_email

from .models import Arrangement


def owners(arrangement: Arrangement) -> list[User]:
    roles = RoleAssignment.objects.active().filter(user__is_active=True)
    hub = arrangement.system.hub
    for chosen in (
        roles.filter(role=Role.HUB_STAFF, hub=hub),
        roles.filter(role=Role.REGIONAL_TEAM, region_id=hub.region_id),
    ):
        people = list(User.objects.filter(pk__in=chosen.values("user")).order_by("email"))
        if people:
            return people
    return []


def review_reminder_send(*, arrangement_id: int, review_date: str) -> int:
    arrangement = (
        Arrangement.objects.select_related("system__hub").filter(pk=arrangement_id).first()
    )
    day = datetime.date.fromisoformat(review_date)
    if arrangement is None or arrangement.is_ended or arrangement.review_date != day:
        return 0
    people = owners(arrangement)
    context = {
        "arrangement": arrangement,
        "link": settings.SITE_URL + arrangement.get_absolute_url(),
    }
    for user in people:
        parts = render_email("arrangements/review-due", {**context, "user": user})
        send_mail(
            subject=parts.subject,
            message=parts.text,
            html_message=parts.html,
            from_email=None,
            recipient_list=[user.email],
        )
    return len(people)
