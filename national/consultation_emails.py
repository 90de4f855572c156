"""The reminder that a consultation is closing (issue 17, "What to build" 3: "reminders before
the closing date"), to the staff of an open oversight group's hub while the group has not
answered. Only active people with an active hub staff role are written to, each once."""

import datetime

from django.conf import settings
from django.core.mail import send_mail

from accounts.models import Role, RoleAssignment, User
from commissioning.emails import render_email

from .consultation_permissions import open_groups
from .models import Consultation, ConsultationResponse


def hub_staff(hub_id: int) -> list[User]:
    roles = RoleAssignment.objects.active().filter(
        user__is_active=True, role=Role.HUB_STAFF, hub_id=hub_id
    )
    return list(User.objects.filter(pk__in=roles.values("user")).order_by("email"))


def consultation_reminder_send(
    *, consultation_id: int, group_id: int, closes_on: str, days: int
) -> int:
    """Nothing if the consultation is gone, archived, closed, its closing date moved, or the
    group has closed or answered since the reminder was owed. Returns how many went."""
    from django.utils import timezone

    consultation = (
        Consultation.objects.select_related("crg", "document_version__document")
        .filter(pk=consultation_id)
        .first()
    )
    today = timezone.localdate()
    if (
        consultation is None
        or consultation.closes_on != datetime.date.fromisoformat(closes_on)
        or not consultation.is_open_on(today)
    ):
        return 0
    group = open_groups(today).select_related("hub").filter(pk=group_id).first()
    answered = ConsultationResponse.objects.filter(
        consultation=consultation, group_id=group_id, ccg__isnull=True
    ).exists()
    if group is None or answered:
        return 0
    people = hub_staff(group.hub_id)
    context = {
        "consultation": consultation,
        "group": group,
        "days": days,
        "link": settings.SITE_URL + consultation.get_absolute_url(),
    }
    for user in people:
        parts = render_email("national/consultation-reminder", {**context, "user": user})
        send_mail(
            subject=parts.subject,
            message=parts.text,
            html_message=parts.html,
            from_email=None,
            recipient_list=[user.email],
        )
    return len(people)
