"""The audit verbs this app records (the stored text; never build one from parts)."""

USER_CREATED = "user.created"
ROLE_GRANTED = "role.granted"
ROLE_ENDED = "role.ended"
