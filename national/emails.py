"""The reminder that a CRG seat's term is ending (issue 17: "an end of term reminds the group
to nominate again"), to the staff of the hubs whose open oversight groups are in the seat's
region (they run the groups' meetings, where nominations are made). Only active people with an
active role are written to, each once."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Max

from accounts.models import Role, RoleAssignment, User
from commissioning.emails import render_email
from oversight.models import OversightGroup

from .models import CRGSeat


def group_staff(region_id: int) -> list[User]:
    groups = OversightGroup.objects.filter(
        hub__region_id=region_id, kind=OversightGroup.Kind.OVERSIGHT_GROUP
    ).exclude(status=OversightGroup.Status.CLOSED)
    roles = RoleAssignment.objects.active().filter(
        user__is_active=True, role=Role.HUB_STAFF, hub_id__in=groups.values("hub_id")
    )
    return list(User.objects.filter(pk__in=roles.values("user")).order_by("email"))


def seat_term_reminder_send(*, seat_id: int, term_end: str) -> int:
    seat = (
        CRGSeat.objects.select_related("crg__programme", "region")
        .annotate(last_end=Max("terms__end_date"))
        .filter(pk=seat_id)
        .first()
    )
    end = datetime.date.fromisoformat(term_end)
    if seat is None or seat.crg.archived or seat.last_end != end:
        return 0
    people = group_staff(seat.region_id)
    context = {
        "seat": seat,
        "term_end": end,
        "link": settings.SITE_URL + seat.crg.get_absolute_url(),
    }
    for user in people:
        parts = render_email("national/seat-term", {**context, "user": user})
        send_mail(
            subject=parts.subject,
            message=parts.text,
            html_message=parts.html,
            from_email=None,
            recipient_list=[user.email],
        )
    return len(people)
