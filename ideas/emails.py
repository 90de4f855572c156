"""The idea exchange's emails (issue 17, "What to build" 5): a follower hears of each new
comment on a post they follow, once per comment (key `idea-comment:{comment}:{user}`); a post's
author hears that a reader asks to be put in touch, once per request (`idea-contact:{request}`).
Each is checked again when it is sent: nothing goes for a hidden comment or post, an ended
follow, or a person no longer active or with no role."""

from django.conf import settings
from django.core.mail import send_mail

from accounts.models import RoleAssignment, User
from commissioning.emails import render_email

from .models import Comment, ContactRequest, Follow


def _has_role(user: User) -> bool:
    return RoleAssignment.objects.active().filter(user=user).exists()


def _send(user: User, template: str, context: dict) -> int:
    parts = render_email(f"ideas/{template}", {**context, "user": user})
    send_mail(
        subject=parts.subject,
        message=parts.text,
        html_message=parts.html,
        from_email=None,
        recipient_list=[user.email],
    )
    return 1


def comment_email_send(*, comment_id: int, user_id: int) -> int:
    comment = Comment.objects.select_related("post", "author").filter(pk=comment_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if comment is None or user is None or comment.is_hidden or comment.post.is_hidden:
        return 0
    following = Follow.objects.filter(post=comment.post, user=user, ended_at__isnull=True)
    if not following.exists() or not _has_role(user):
        return 0
    context = {
        "comment": comment,
        "post": comment.post,
        "link": settings.SITE_URL + comment.post.get_absolute_url() + f"#comment-{comment.pk}",
    }
    return _send(user, "comment", context)


def contact_email_send(*, request_id: int) -> int:
    request = (
        ContactRequest.objects.select_related("post__author", "requester")
        .filter(pk=request_id)
        .first()
    )
    if request is None or not request.post.author.is_active:
        return 0
    context = {
        "request": request,
        "post": request.post,
        "requester": request.requester,
        "link": settings.SITE_URL + request.post.get_absolute_url(),
    }
    return _send(request.post.author, "contact", context)
