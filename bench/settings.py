"""The production settings, plus what only the benchmark needs: a bare view
(the ceiling every page is compared with, ``bench/urls.py``) and a response
header giving the number of database queries the request made.

Nothing else changes: what is measured is what production serves.
"""

from newsroom.settings.production import *  # noqa: F403
from newsroom.settings.production import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# First, so that it counts every query of the request, the cache's included.
MIDDLEWARE = ["bench.middleware.count_queries", *MIDDLEWARE]
