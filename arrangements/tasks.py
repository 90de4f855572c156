from celery import shared_task


@shared_task
def reviews_due_remind() -> int:
    """Daily: owe a reminder for each arrangement whose review is due within 28 days, once per
    arrangement and review date (arrangements/services.py `reviews_due_remind`)."""
    from django.utils import timezone

    from .services import reviews_due_remind as remind

    return remind(day=timezone.localdate())


@shared_task
def review_reminder_send(arrangement_id: int, review_date: str) -> int:
    """Email those who run the arrangement that its review is due; nothing if it has ended or
    its review date has moved since (that date is owed its own reminder). Returns how many went."""
    from . import emails

    return emails.review_reminder_send(arrangement_id=arrangement_id, review_date=review_date)
