"""Emails about peer reviews (plain text and HTML, with a link to the exact page)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from commissioning.emails import render_email

from .models import Reviewer


def reviewer_invitation_send(*, reviewer_id: int) -> int:
    reviewer = (
        Reviewer.objects.filter(pk=reviewer_id, status=Reviewer.Status.INVITED)
        .select_related("user", "review__hub", "review__cycle")
        .first()
    )
    if reviewer is None:
        return 0
    link = settings.SITE_URL + reverse("reviews:review-detail", args=[reviewer.review_id])
    context = {"user": reviewer.user, "reviewer": reviewer, "review": reviewer.review, "link": link}
    parts = render_email("reviewer-invitation", context)
    send_mail(
        subject=parts.subject,
        message=parts.text,
        html_message=parts.html,
        from_email=None,
        recipient_list=[reviewer.user.email],
    )
    return 1
