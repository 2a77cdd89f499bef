"""One page size, one rule for page numbers and one paginator, for the website and the
API alike, so that /api/findings/?page=2 holds what /findings/?page=2 shows."""

from django.core import paginator
from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import F, UniqueConstraint
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
    with the same filters share it whatever they annotate or however they are ordered.

    A search's count is kept with the data version it was made at, in the same snapshot
    (`data_version.count_with_version`), and where the model can say how (its
    `follow_count`: judgements/word_changes.py) it is brought up to date after an edit of
    the words from the paragraphs the edit changed, instead of being counted again."""
    rows = queryset.order_by().values("pk")
    sql, params = rows.query.sql_with_params()
    searching = data_version.reads_text(sql)
    version = data_version.for_counts(request, searching=searching)
    follow_count = getattr(queryset.model, "follow_count", None)
    if not searching or follow_count is None:
        return data_version.cached(f"count:{sql}:{params!r}", queryset.count, version=version)
    # a search's count, made with the version it is of, follows edits of the words
    # without counting again (the model's follow_count: judgements/word_changes.py)
    connection = connections[rows.db]

    def follow(earlier):
        if not isinstance(earlier, tuple) or len(earlier) != 3 or earlier[1] is None:
            return None
        return follow_count(sql, params, earlier, connection)

    value = data_version.cached(
        f"search-count:{sql}:{params!r}",
        lambda: data_version.count_with_version(sql, params, using=rows.db),
        version=version,
        follow=follow,
    )
    return value[0]


class Paginator(paginator.Paginator):
    """Django's Paginator, made for long lists:

    - its COUNT is remembered until the data changes (`cached_count`): at 100k findings a
      filtered count costs 15-20 ms on every page of the list, and only changes with the
      data;
    - a page is read as its ids first (one narrow subquery that the list's ordering index
      answers with an index-only scan, however deep the page), then those rows with
      everything they show, in the same one query. OFFSET over whole rows would read and
      sort every row before the page: 300 ms for page 4,000 of 100k;
    - a page past the middle of a list in a total order (ties broken by a unique key,
      `total_order`) is read from the far end: the reverse order with the smaller OFFSET,
      its rows turned round, which are exactly those the forward OFFSET gives, since the
      count is known. OFFSET reads every row before the page: page 32,554 of the 813,000
      findings that say "children" at 1M read 651,000 of them, from the end 163,000
      (bench/README.md, "Deep pages from the far end and the CSV as values"). The
      count must be the list's count now: right after a change, while the one shown is
      of the moment before (data_version.cached), the page is read forward. (Counting
      the list there and then would cost more than the forward read: a second at 1M
      for "children".)

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

    def page(self, number):
        """Django's Paginator.page, reading a page past the middle from the far end."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        count = self.count
        # positions from the end need the count of now, not one of a moment before
        # (shown right after a change while the new one is made: data_version.cached)
        fresh = not data_version.served_stale()
        if bottom > count - top and fresh and total_order(self.object_list):
            window = self.object_list.reverse()[count - top : count - bottom]
            return self._make_page(window, number, from_end=True)
        return self._make_page(self.object_list[bottom:top], number, from_end=False)

    def _make_page(self, window, number, from_end):
        """The Page of `window` (a slice of the list, or of its reverse if `from_end`)."""
        if self.shown:
            rows = list(self.shown(window))
            if from_end:
                rows.reverse()
        else:  # in the list's own order, whichever way the window was read
            rows = list(self.object_list.filter(pk__in=window.values("pk")))
        return self._get_page(rows, number, self)


def _ordering(queryset):
    """The names a queryset is ordered by (without "-"), or None if any is an expression
    other than a column (or the list is not a queryset)."""
    query = getattr(queryset, "query", None)
    if query is None or query.combinator:  # a list, or a union of querysets
        return None
    ordering = query.order_by or (query.default_ordering and queryset.model._meta.ordering)
    names = []
    for item in ordering or ():
        if isinstance(item, str):
            names.append(item.lstrip("-?"))
        elif isinstance(getattr(item, "expression", None), F):  # F("x").desc()
            names.append(item.expression.name)
        else:
            return None
    return names


def total_order(queryset):
    """Whether no two rows of the queryset tie in its order: it is ordered by the primary
    key or by a unique field that is never NULL, or by every field of a unique constraint of
    its model (a foreign key by its column's name, "inspection_id": by its name, the rows
    are ordered by the related model's ordering), so that its reverse order is exactly
    its order turned round."""
    names = _ordering(queryset)
    if not names:
        return False
    meta = queryset.model._meta
    ordered = set()
    for name in names:
        if name == "pk":
            name = meta.pk.name
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:
            field = next((f for f in meta.concrete_fields if f.attname == name), None)
        if field is None or (field.is_relation and name != field.attname):
            # ordering by a foreign key's name sorts by the related model's own ordering,
            # which may tie: only its column ("inspection_id") orders by the key itself
            continue
        ordered.add(field.name)
    if meta.pk.name in ordered or any(
        field.unique and not field.null and field.name in ordered  # NULLs may repeat
        for field in meta.concrete_fields
    ):
        return True
    return any(
        isinstance(constraint, UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
        and set(constraint.fields) <= ordered
        for constraint in meta.total_unique_constraints
    )
