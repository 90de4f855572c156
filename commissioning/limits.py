"""Input limits (issue 14): one maximum for long free text, enforced for every write.

Every free-text `models.TextField` a person types into declares `max_length=LONG_TEXT`
(Django keeps that out of the database schema). `check_text_lengths`, connected to
`pre_save` for every model in `CommissioningConfig.ready()`, refuses a longer value with a
`RuleError` keyed by the field, so a form shows it beside the field and the API answers 400
with the field, whatever path the service took to save. `NHSForm` says the limit in each long
text field's hint and refuses it before the service is asked. Text the system writes itself
(render errors, inbox bodies) has no `max_length` and is not checked.
"""

from django.core.validators import MaxLengthValidator
from django.db import models

from .errors import RuleError

LONG_TEXT = 20_000


def too_long_message(limit: int) -> str:
    return f"Enter {limit:,} characters or fewer"


def hint(limit: int = LONG_TEXT) -> str:
    return f"Up to {limit:,} characters."


class LongTextValidator(MaxLengthValidator):
    """Django's length check with the project's wording."""

    def __init__(self, limit_value: int = LONG_TEXT):
        super().__init__(limit_value, message=too_long_message(limit_value))


def check_text_lengths(sender, instance, raw=False, **kwargs) -> None:
    """pre_save receiver: a TextField longer than its max_length is refused, naming the field."""
    if raw:
        return
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.TextField) or not field.max_length:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and len(value) > field.max_length:
            raise RuleError(too_long_message(field.max_length), field=field.name)
