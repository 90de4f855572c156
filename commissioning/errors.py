"""The refusals services raise. Views and the API never translate them by hand: one DRF
exception handler (`commissioning.api_errors.handle`) and one form helper
(`commissioning.forms.apply_error`) turn them into answers."""


class RuleError(Exception):
    """A change that breaks a governance rule; nothing was saved. `field` names the form field
    the message belongs beside (None: the form as a whole). The API answers 400."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        # Every refusal of one change, when a check finds several (see raise_all): a form and
        # the API report them all at once (issue 18, finding 8), not one per submission.
        self.errors: list[RuleError] = [self]
        super().__init__(message)


class NotAllowed(RuleError):
    """The person may see the record but this change is not theirs to make. The API answers
    403; a form shows the message like any other refusal."""


class StateConflict(RuleError):
    """The record is no longer in a state that allows the change (already ended, already
    issued). The API answers 409 without a version: there is nothing to merge."""


def raise_all(errors: list[RuleError]) -> None:
    """Raise the first of `errors` carrying them all (its `errors`), if there are any."""
    if errors:
        first = errors[0]
        first.errors = list(errors)
        raise first
