"""Listing helpers shared by index pages: filters and pagination."""

import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator

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
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def filtered_listing(request, model, index):
    """The live releases or statements under ``index``, newest first, filtered
    by ``?trial=`` (registry ID) and ``?organisation=`` (slug); unknown values
    simply match nothing."""
    from .organisations import Organisation
    from .trials import Trial

    queryset = (
        model.objects.child_of(index)
        .live()
        .public()
        .select_related("organisation", "trial")
        .order_by("-first_published_at")
    )
    trial = request.GET.get("trial", "").strip()[:32]
    organisation = request.GET.get("organisation", "").strip()[:64]
    if trial:
        queryset = queryset.filter(trial__registry_id=trial)
    if organisation:
        queryset = queryset.filter(organisation__slug=organisation)
    used = model.objects.live().public()
    return {
        "items": paginate(request, queryset),
        "filters": {"trial": trial, "organisation": organisation},
        "query_string": urlencode(
            {
                key: value
                for key, value in (("trial", trial), ("organisation", organisation))
                if value
            }
        ),
        "trial_choices": Trial.objects.live()
        .public()
        .filter(pk__in=used.values("trial_id"))
        .order_by("title")
        .values_list("registry_id", "title"),
        "organisation_choices": Organisation.objects.filter(
            pk__in=used.values("organisation_id")
        ),
    }
