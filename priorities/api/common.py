"""What the priorities API views share."""


def requesting_user(view):
    """The requesting user, or None for the schema generator's fake request (whose lists
    are empty: see the `api_*` selectors)."""
    return None if getattr(view, "swagger_fake_view", False) else view.request.user
