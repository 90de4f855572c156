from celery import shared_task


@shared_task
def comment_notice_send(comment_id: int, user_id: int) -> int:
    """Notify one follower of a new comment on a post they follow, through the inbox and their
    email settings (ideas/emails.py); nothing if the comment or post is hidden, the follow has
    ended, or the person can no longer read it. Returns how many were new (0 or 1)."""
    from . import emails

    return emails.comment_notice_send(comment_id=comment_id, user_id=user_id)


# The task's earlier name: outbox items owed before the rename still name it.
comment_email_send = shared_task(name="ideas.tasks.comment_email_send")(comment_notice_send.run)


@shared_task
def contact_email_send(request_id: int) -> int:
    """Email a post's author that a reader asks to be put in touch."""
    from . import emails

    return emails.contact_email_send(request_id=request_id)
