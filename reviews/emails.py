"""Emails about peer reviews (plain text and HTML, with a link to the exact page)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

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
    send_mail(
        subject=render_to_string("emails/reviewer-invitation-subject.txt", context).strip(),
        message=render_to_string("emails/reviewer-invitation-body.txt", context),
        html_message=render_to_string("emails/reviewer-invitation-body.html", context),
        from_email=None,
        recipient_list=[reviewer.user.email],
    )
    return 1
