from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """Limit/offset paging with a ceiling, so no request can ask for an unbounded page. The
    schema states each list's default page size and the ceiling."""

    default_limit = 50
    max_limit = 500

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = (
                    f"Number of results to return per page (default {self.default_limit}, "
                    f"at most {self.max_limit})."
                )
        return parameters


class ShortPagination(Pagination):
    """For lists whose items are large (a peer review with its panel): a shorter first page,
    so the list a client reads first stays quick. `?limit=` still asks for up to 500."""

    default_limit = 20
