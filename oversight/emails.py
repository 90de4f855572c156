"""Emails about oversight groups (plain text and HTML, with a link to the exact page)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import Role, RoleAssignment

from .models import CCGMembership


def invitations_send(*, membership_ids: list[int]) -> int:
    memberships = CCGMembership.objects.filter(
        pk__in=membership_ids, status=CCGMembership.Status.INVITED
    ).select_related("ccg", "group__hub")
    leads = (
        RoleAssignment.objects.active()
        .filter(role=Role.CCG_LEAD, ccg__in=[m.ccg_id for m in memberships], user__is_active=True)
        .select_related("user")
    )
    by_ccg: dict[int, list] = {}
    for lead in leads:
        by_ccg.setdefault(lead.ccg_id, []).append(lead.user)
    sent = 0
    for membership in memberships:
        for user in by_ccg.get(membership.ccg_id, []):
            link = settings.SITE_URL + reverse("oversight:membership-respond", args=[membership.pk])
            context = {"user": user, "membership": membership, "link": link}
            send_mail(
                subject=render_to_string("emails/invitation-subject.txt", context).strip(),
                message=render_to_string("emails/invitation-body.txt", context),
                html_message=render_to_string("emails/invitation-body.html", context),
                from_email=None,
                recipient_list=[user.email],
            )
            sent += 1
    return sent
