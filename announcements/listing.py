"""Reading long lists a page at a time: pagination, and several sorted
querysets read as one."""

import datetime

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, QuerySet, Value
from django.utils.functional import cached_property

from . import content_version
from .reader_input import query_param

PAGE_SIZE = 12
# Directories (trials, press contacts), read down a page rather than card by card.
DIRECTORY_PAGE_SIZE = 50
# Sorts items never published (no date) last.
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class MergedByDate:
    """Several kinds of item read as one list, newest first by the moment
    stored in ``field``. ``kinds`` is ``[(filtered, shown)]``: the items of
    one kind, and the same as shown (with what their cards read), each
    readable newest first through an index on ``field``.

    Its cost follows the slice read, not the length of the list: a slice
    from the start reads at most ``stop`` items of each kind, one query per
    kind; a slice further in first asks for the keys of the items it holds
    (a ``UNION ALL`` of each kind's index range, sorted and cut there), then
    for those items."""

    def __init__(self, kinds, field):
        self.kinds = kinds
        self.field = field

    def count(self):
        parts = [filtered.order_by().values("pk") for filtered, _shown in self.kinds]
        return content_version.count(parts[0].union(*parts[1:], all=True))

    def __len__(self):
        return self.count()

    def _keys(self, stop):
        parts = [
            filtered.annotate(moment=F(self.field), key=F("pk"), kind=Value(position))
            .values_list("moment", "key", "kind")
            .order_by("-moment", "-key")
            for position, (filtered, _shown) in enumerate(self.kinds)
        ]
        if connection.features.supports_slicing_ordering_in_compound:
            # PostgreSQL: each kind read through its index up to ``stop``.
            parts = [part[:stop] for part in parts]
        else:
            parts = [part.order_by() for part in parts]
        return parts[0].union(*parts[1:], all=True).order_by("-moment", "-key")

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        order = (f"-{self.field}", "-pk")
        if not index.start:
            rows = [
                item
                for _filtered, shown in self.kinds
                for item in shown.order_by(*order)[: index.stop]
            ]
            rows.sort(
                key=lambda item: (getattr(item, self.field) or EPOCH, item.pk),
                reverse=True,
            )
            return rows[: index.stop]
        keys = list(self._keys(index.stop)[index])
        found = {}
        for position, (_filtered, shown) in enumerate(self.kinds):
            wanted = [key for _moment, key, kind in keys if kind == position]
            if wanted:
                found.update(
                    ((position, item.pk), item) for item in shown.filter(pk__in=wanted)
                )
        return [found[kind, key] for _moment, key, kind in keys if (kind, key) in found]

    def __iter__(self):
        return iter(self[:])

    def __bool__(self):
        return any(filtered.exists() for filtered, _shown in self.kinds)


class PublicListPaginator(Paginator):
    """Pages of a public list, whose length is counted once per public
    content version (``content_version.count``)."""

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            return content_version.count(self.object_list)
        return super().count


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The requested page of ``queryset``; a bad page number gives the nearest."""
    return PublicListPaginator(queryset, per_page).get_page(
        query_param(request, "page", 12)
    )
