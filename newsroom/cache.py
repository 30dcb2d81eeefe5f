"""Django's Redis cache, failing softly.

Django's ``RedisCache`` raises when Redis cannot be reached, and the cache is
read on every request, by Wagtail too (the site's root paths): a Redis outage
would turn every page into an error. Here each call that fails is logged and
answered as a miss ("not cached", "not stored"), so readers get pages built
for them, more slowly, until Redis is back. ``/healthz`` still reports the
outage (``newsroom/health.py`` checks that a value it stores comes back).
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
# During an outage every request fails several calls: one warning a minute
# per process says so without flooding the logs.
WARN_EVERY_SECONDS = 60
_last_warning = None


def _soft(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError:
                _warn(method.__name__)
                return default(*args, **kwargs) if callable(default) else default

        return wrapper

    return decorate


def _warn(operation):
    global _last_warning
    now = time.monotonic()
    if _last_warning is None or now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning(
            "Cache unavailable (%s): answered as a miss", operation, exc_info=True
        )


def _default_of_get(key, default=None, *args, **kwargs):
    return default


def _keys_of_set_many(data, *args, **kwargs):
    return list(data)


class SoftRedisCache(RedisCache):
    add = _soft(False)(RedisCache.add)
    get = _soft(_default_of_get)(RedisCache.get)
    set = _soft(None)(RedisCache.set)
    touch = _soft(False)(RedisCache.touch)
    delete = _soft(False)(RedisCache.delete)
    get_many = _soft(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _soft(False)(RedisCache.has_key)
    incr = _soft(None)(RedisCache.incr)
    set_many = _soft(_keys_of_set_many)(RedisCache.set_many)
    delete_many = _soft(None)(RedisCache.delete_many)
    clear = _soft(False)(RedisCache.clear)
