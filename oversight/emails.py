"""Emails about oversight groups (plain text and HTML, with a link to the exact page)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from accounts.models import Role, RoleAssignment
from commissioning.emails import render_email

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
            parts = render_email("invitation", context)
            send_mail(
                subject=parts.subject,
                message=parts.text,
                html_message=parts.html,
                from_email=None,
                recipient_list=[user.email],
            )
            sent += 1
    return sent


def representation_request_send(*, membership_id: int) -> int:
    """Tell the representative CCG's leads that a CCG asks it to represent it (issue 13): they
    confirm or decline on My work. Nothing is sent once the request has been answered."""
    membership = (
        CCGMembership.objects.filter(
            pk=membership_id, status=CCGMembership.Status.REPRESENTATION_REQUESTED
        )
        .select_related("ccg", "represented_by", "group__hub")
        .first()
    )
    if membership is None:
        return 0
    leads = (
        RoleAssignment.objects.active()
        .filter(role=Role.CCG_LEAD, ccg=membership.represented_by_id, user__is_active=True)
        .select_related("user")
    )
    anchor = f"#representation-requests-{membership.represented_by.ods_code.lower()}"
    link = settings.SITE_URL + reverse("workspace:my-work") + anchor
    sent = 0
    for lead in leads:
        context = {"user": lead.user, "membership": membership, "link": link}
        parts = render_email("representation-request", context)
        send_mail(
            subject=parts.subject,
            message=parts.text,
            html_message=parts.html,
            from_email=None,
            recipient_list=[lead.user.email],
        )
        sent += 1
    return sent
