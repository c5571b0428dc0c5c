"""The API's paging (its own module: DRF reads it from settings while its generic views load)."""

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=` with a ceiling: a page holds at most 200 rows, and an offset beyond any table is an
    empty page rather than a database error."""

    max_limit = 200
    max_offset = 10**9

    def get_offset(self, request):
        return min(super().get_offset(request), self.max_offset)


# --- list pages (HTML) -------------------------------------------------------------------------------------------

PAGE_SIZE = 50


def page_of(request, rows, per_page: int = PAGE_SIZE):
    """One page of a list page (`?page=N`, shown by `templates/partials/_pagination.html`): at most `per_page`
    rows, so the page costs the same whatever the table's size; a page number that is not one gives the first
    page, one past the end the last (Django's `Paginator.get_page`)."""
    from django.core.paginator import Paginator

    return Paginator(rows, per_page).get_page(request.GET.get("page"))
