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


@shared_task
def consultations_remind() -> int:
    """Daily: owe the reminders of open consultations closing within 7 or 2 days to the staff
    of each open group that has not answered, once each (national/consultations.py
    `consultations_remind`)."""
    from django.utils import timezone

    from .consultations import consultations_remind as remind

    return remind(day=timezone.localdate())


@shared_task
def consultation_reminder_send(
    consultation_id: int, group_id: int, closes_on: str, days: int
) -> int:
    """Email the hub staff of a group that has not answered a consultation; nothing if it has
    answered since, or the consultation closed or moved its date. Returns how many went."""
    from .consultation_emails import consultation_reminder_send as send

    return send(consultation_id=consultation_id, group_id=group_id, closes_on=closes_on, days=days)
