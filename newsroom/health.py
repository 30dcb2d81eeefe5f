"""``/healthz``: whether this instance can serve pages, for the load balancer.

It answers 200 when the database and the cache both work, 503 naming the
part that failed otherwise, so that a broken instance is taken out of
rotation. It is public and says nothing else: no version, no error text
(the error itself goes to the log).
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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
    return JsonResponse(
        {"status": "ok" if healthy else "error", **results},
        status=200 if healthy else 503,
    )
