class RuleError(Exception):
    """A change that breaks a governance rule; nothing was saved. `field` names the form field
    the message belongs beside (None: the form as a whole)."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)
