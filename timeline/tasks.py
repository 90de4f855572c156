from celery import shared_task

from . import reminders


@shared_task
def reminders_sweep() -> int:
    """Claim and deliver every reminder due now (beat runs it every 15 minutes)."""
    return reminders.reminders_sweep().claimed


@shared_task
def reminders_send(claim_ids: list[int]) -> int:
    """Email claimed reminders; each is taken once by a conditional update."""
    return sum(1 for pk in claim_ids if reminders.claim_send(pk) == "sent")


@shared_task
def reminders_digest() -> int:
    return reminders.digest_send()
