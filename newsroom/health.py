"""``/healthz``: whether this instance can serve pages, for the load balancer.

It answers 200 when the database and the cache both work, 503 naming the
part that failed otherwise, so that a broken instance is taken out of
rotation. While a public change waits for the cache to hear of it (the cache
failed at that moment), it says ``"status": "stale"`` for monitoring, still
with 200: the instance serves, and the worker is telling the cache again.
It is public and says nothing else: no version, no error text (the error
itself goes to the log).
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from announcements import page_cache

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("the cache did not return the value just set")
    finally:
        cache.delete(key)


CHECKS = {"database": _database, "cache": _cache}


@never_cache
@require_safe
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check failed: %s", name)
            results[name] = "error"
        else:
            results[name] = "ok"
    healthy = all(result == "ok" for result in results.values())
    status = "ok" if healthy else "error"
    # A public change the cache missed (it failed) is being told again by the
    # worker: pages may be stale meanwhile. Still serving, so still 200.
    if healthy and page_cache.expiry_pending():
        status = results["public_cache"] = "stale"
    return JsonResponse({"status": status, **results}, status=200 if healthy else 503)
