from celery import shared_task


@shared_task
def seat_terms_remind() -> int:
    """Daily: owe a reminder for each CRG seat whose term ends within 60 days (or has ended,
    leaving it vacant), once per seat and term end (national/services.py `seat_terms_remind`)."""
    from django.utils import timezone

    from .services import seat_terms_remind as remind

    return remind(day=timezone.localdate())


@shared_task
def seat_term_reminder_send(seat_id: int, term_end: str) -> int:
    """Email the staff of the region's oversight groups that the seat needs a nomination;
    nothing if the seat is gone or a later term has been accepted since. Returns how many went."""
    from . import emails

    return emails.seat_term_reminder_send(seat_id=seat_id, term_end=term_end)
