"""One page size, one rule for page numbers and one paginator, for the website and the
API alike, so that /api/findings/?page=2 holds what /findings/?page=2 shows."""

from django.core import paginator
from django.utils.functional import cached_property

from harrow_inspection import data_version

PAGE_SIZE = 20


def read_page(value, count, page_size=PAGE_SIZE):
    """(page number, None) for a usable `?page=` value, else (None, a message saying what
    to ask for instead)."""
    pages = max(1, -(-count // page_size))
    if not value.isdigit() or not 1 <= int(value) <= pages:
        return None, f"There is no page ‘{value[:20]}’: choose a page from 1 to {pages}."
    return int(value), None


def cached_count(queryset, request=None):
    """queryset.count(), remembered until what it counts can have changed
    (`data_version.cached`): until the next write of any kind if the rows are chosen by
    their words (a text search), else until the counts version moves (a text edit leaves
    it; `data_version.for_counts`). The key is the SQL of the rows counted, so two lists
    with the same filters share it whatever they annotate or however they are ordered."""
    rows = queryset.order_by().values("pk")
    sql, params = rows.query.sql_with_params()
    version = data_version.for_counts(request, searching=data_version.reads_text(sql))
    return data_version.cached(f"count:{sql}:{params!r}", queryset.count, version=version)


class Paginator(paginator.Paginator):
    """Django's Paginator, made for long lists:

    - its COUNT is remembered until the data changes (`cached_count`): at 100k findings a
      filtered count costs 15-20 ms on every page of the list, and only changes with the
      data;
    - a page is read as its ids first (one narrow subquery that the list's ordering index
      answers with an index-only scan, however deep the page), then those rows with
      everything they show, in the same one query. OFFSET over whole rows would read and
      sort every row before the page: 300 ms for page 4,000 of 100k.

    `shown`, if given, reads the page's rows itself from the window (a slice of the list,
    in its order), leaving the list that is counted and windowed as it is; `count`, if
    given, is the list's count already worked out (the same rows, however ordered).
    """

    def __init__(self, object_list, per_page, *, request=None, shown=None, count=None, **kw):
        super().__init__(object_list, per_page, **kw)
        self.request = request
        self.shown = shown
        if count is not None:
            self.__dict__["count"] = count  # the cached_property below, already known

    @cached_property
    def count(self):
        return cached_count(self.object_list, self.request)

    def _get_page(self, window, *args, **kwargs):
        """Django's hook for making a Page; `window` is object_list[bottom:top]."""
        if self.shown:
            return super()._get_page(self.shown(window), *args, **kwargs)
        rows = self.object_list.filter(pk__in=window.values("pk"))
        return super()._get_page(list(rows), *args, **kwargs)
