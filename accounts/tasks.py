from celery import shared_task

from .emails import welcome_email_send
from .models import User


@shared_task
def user_send_welcome(user_id: int) -> bool:
    """Send the welcome email; returns False (quietly) if the person no longer exists."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    welcome_email_send(user=user)
    return True
