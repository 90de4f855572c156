"""The refusals of priorities services (see commissioning.errors)."""

from commissioning.errors import NotAllowed, RuleError


class PlanError(RuleError):
    """A change to a plan or proposal that breaks a rule (see RuleError)."""


class PlanNotAllowed(PlanError, NotAllowed):
    """The person sees the plan but this change is not theirs to make (the API answers 403)."""
