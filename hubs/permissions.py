"""Access to the organisation register."""


def can_view_register(user) -> bool:
    """The organisation register is reference data every signed-in user may read."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)
