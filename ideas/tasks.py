from celery import shared_task


@shared_task
def comment_email_send(comment_id: int, user_id: int) -> int:
    """Email one follower a new comment on a post they follow (ideas/emails.py); nothing if the
    comment or post is hidden, the follow has ended, or the person can no longer read it.
    Returns how many went (0 or 1)."""
    from . import emails

    return emails.comment_email_send(comment_id=comment_id, user_id=user_id)


@shared_task
def contact_email_send(request_id: int) -> int:
    """Email a post's author that a reader asks to be put in touch."""
    from . import emails

    return emails.contact_email_send(request_id=request_id)
