"""The public content version: one number in the cache that every cached
copy of public content is kept under (whole pages, sitemap pages, the
lengths of long lists). Any public change takes a new number
(``page_cache.public_content_changed``), so every process forgets its
copies at once."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "public-content-version"
# The waits between attempts at a new version while the cache fails.
BLIP_PAUSES = (0.25, 0.5, 1)


def version():
    """The current public content version, or None when the cache fails
    (``newsroom.cache`` answers a failing call as a miss).

    A missing one (never set, or evicted) starts at the clock, so that it
    never meets copies kept under an older number."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        current = cache.get(VERSION_KEY)
    return current


def new_version():
    """Forget every cached page, feed, sitemap and count, in every process.
    Tried again a few times within two seconds when the cache fails (a
    blip): whether it took."""
    for pause in (*BLIP_PAUSES, None):
        try:
            if cache.incr(VERSION_KEY) is not None:
                return True
        except ValueError:
            return True  # no version yet: the next request starts one
        if pause is not None:
            time.sleep(pause)
    return False


def remember(name, compute):
    """``compute()``, kept until the next public change: for what only public
    content decides (the length of a long list, a feed's freshness) and is
    costly to read. Only with a cache every process shares (Redis): one
    process's memory would keep an old answer after another process's
    change."""
    current = version() if settings.CACHE_IS_SHARED else None
    if current is None:
        return compute()
    key = f"public:{current}:{hashlib.sha256(name.encode()).hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=None)
    return found


def count(queryset):
    """``queryset.count()``, remembered until the next public change."""
    return remember(f"count:{queryset.query}", queryset.count)
