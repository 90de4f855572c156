from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """Limit/offset paging with a ceiling, so no request can ask for an unbounded page."""

    default_limit = 50
    max_limit = 500
