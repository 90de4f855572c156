"""The refusals services raise. Views and the API never translate them by hand: one DRF
exception handler (`commissioning.api_errors.handle`) and one form helper
(`commissioning.forms.apply_error`) turn them into answers."""


class RuleError(Exception):
    """A change that breaks a governance rule; nothing was saved. `field` names the form field
    the message belongs beside (None: the form as a whole). The API answers 400."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


class NotAllowed(RuleError):
    """The person may see the record but this change is not theirs to make. The API answers
    403; a form shows the message like any other refusal."""


class StateConflict(RuleError):
    """The record is no longer in a state that allows the change (already ended, already
    issued). The API answers 409 without a version: there is nothing to merge."""
