"""The API's paging (its own module: DRF reads it from settings while its generic views load)."""

from django.db.models import F, Func, IntegerField, Subquery
from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=` with a ceiling: a page holds at most 200 rows, and an offset beyond any table is an
    empty page rather than a database error."""

    max_limit = 200
    max_offset = 10**9

    def get_offset(self, request):
        return min(super().get_offset(request), self.max_offset)

    def paginate_rows(self, rows, request, *, counted):
        """`paginate_queryset` for a list read as value rows (`core.api.RowListMixin`), in one query instead of
        two: the total rides along with the page as an uncorrelated scalar subquery — `(SELECT COUNT(*) …)`,
        which PostgreSQL runs once (an InitPlan), while the page itself keeps its index scan and LIMIT. The
        total is counted on `counted`, the filtered queryset before `.values_list`, so it leaves out the joins
        only the columns need. An empty page (past the end, or no rows at all) asks for the count on its own
        (issue 14)."""
        self.request = request
        self.limit = self.get_limit(request)
        if self.limit is None:
            return None
        self.offset = self.get_offset(request)
        query = counted.query
        if query.distinct or query.combinator or query.is_sliced:
            page = None  # COUNT(*) of these rows is not what .count() answers: count them on their own
        else:
            total = counted.order_by().values(page_total=Func(F("pk"), function="COUNT"))
            page = list(rows.annotate(page_total=Subquery(total, output_field=IntegerField()))[self.page_slice])
        if page:
            self.count = page[0][-1]
            page = [values[:-1] for values in page]
        else:
            self.count = self.get_count(counted)
            page = [] if self.count == 0 or self.offset > self.count else list(rows[self.page_slice])
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        return page

    @property
    def page_slice(self) -> slice:
        return slice(self.offset, self.offset + self.limit)


# --- list pages (HTML) -------------------------------------------------------------------------------------------

PAGE_SIZE = 50


def page_of(request, rows, per_page: int = PAGE_SIZE):
    """One page of a list page (`?page=N`, shown by `templates/partials/_pagination.html`): at most `per_page`
    rows, so the page costs the same whatever the table's size; a page number that is not one gives the first
    page, one past the end the last (Django's `Paginator.get_page`)."""
    from django.core.paginator import Paginator

    return Paginator(rows, per_page).get_page(request.GET.get("page"))
