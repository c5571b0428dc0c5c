"""The API's paging (its own module: DRF reads it from settings while its generic views load)."""

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=` with a ceiling: a page holds at most 200 rows, and an offset beyond any table is an
    empty page rather than a database error."""

    max_limit = 200
    max_offset = 10**9

    def get_offset(self, request):
        return min(super().get_offset(request), self.max_offset)
