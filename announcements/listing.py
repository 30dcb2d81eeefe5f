"""Reading long lists a page at a time: pagination, and several sorted
querysets read as one."""

import datetime

from django.core.paginator import Paginator

from .reader_input import query_param

PAGE_SIZE = 12
# Sorts items never published (no date) last.
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class MergedByDate:
    """Several querysets, each already sorted newest first, read as one
    sorted sequence. A slice reads at most ``stop`` rows of each queryset,
    so a page of a long list costs one query per kind of item."""

    def __init__(self, querysets, key):
        self.querysets = querysets
        self.key = key

    def count(self):
        return sum(queryset.count() for queryset in self.querysets)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop = index.start or 0, index.stop
            rows = [
                item
                for queryset in self.querysets
                for item in (queryset[:stop] if stop is not None else queryset)
            ]
            rows.sort(key=self.key, reverse=True)
            return rows[start:stop]
        return self[index : index + 1][0]

    def __iter__(self):
        return iter(self[:])

    def __bool__(self):
        return any(queryset.exists() for queryset in self.querysets)


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The requested page of ``queryset``; a bad page number gives the nearest."""
    return Paginator(queryset, per_page).get_page(query_param(request, "page", 12))
