"""The idea exchange's emails and notices (issue 17, "What to build" 5).

- A follower hears of each new comment on a post they follow "through the inbox and email
  digest, by the existing reminder/notification rules": a notice (commissioning.notices, the
  timeline's inbox and settings), once per comment and follower (outbox key
  `idea-comment:{comment}:{user}`, notice key `idea-comment:{comment}`).
- A post's author is emailed that a reader asks to be put in touch, once per request
  (`idea-contact:{request}`).

Each is checked again when it goes: nothing for a hidden comment or post, an ended follow, or a
person no longer active or with no role."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from accounts.models import RoleAssignment, User
from commissioning import notices
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


def comment_notice_send(*, comment_id: int, user_id: int) -> int:
    comment = Comment.objects.select_related("post", "author").filter(pk=comment_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if comment is None or user is None or comment.is_hidden or comment.post.is_hidden:
        return 0
    following = Follow.objects.filter(post=comment.post, user=user, ended_at__isnull=True)
    if not following.exists() or not _has_role(user):
        return 0
    return notices.notice(
        key=f"idea-comment:{comment.pk}",
        user_ids=[user.pk],
        subject=f"{comment.author.full_name} commented on the idea “{comment.post.title}”",
        link=comment.post.get_absolute_url() + f"#comment-{comment.pk}",
        on=timezone.localdate(comment.created_at),
    )


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
