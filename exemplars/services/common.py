"""What the exemplar services share: the closed-project refusal and date checks."""

import datetime

from commissioning.dates import nhs_date
from commissioning.errors import RuleError, StateConflict

from ..models import Exemplar


def lock_open(exemplar: Exemplar) -> Exemplar:
    """The project's row, locked; refused if it is closed (a closed project is a record)."""
    current = Exemplar.objects.select_for_update().get(pk=exemplar.pk)
    if current.is_closed:
        raise StateConflict(
            f"The project was closed on {nhs_date(current.closed_on)}: nothing more is changed."
        )
    return current


def not_before_start(exemplar: Exemplar, day: datetime.date | None, field: str, what: str) -> None:
    """Refuse a date before the project started ("`what` cannot be before ...")."""
    if day is not None and day < exemplar.start_date:
        raise RuleError(
            f"{what} cannot be before the project started ({nhs_date(exemplar.start_date)}).",
            field=field,
        )


def required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleError(message, field=field)
    return value
