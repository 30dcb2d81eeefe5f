"""A Redis blip never keeps a withdrawn page public.

A real redis-server, paused (SIGSTOP) around an unpublish as a blip pauses
it: the new public content version is tried again until the cache takes it;
through a longer outage the worker keeps trying, ``/healthz`` says the
cache is stale meanwhile, and the withdrawn page goes as soon as it can."""

import datetime
import signal

from django.utils import timezone

import pytest
import time_machine

from announcements import content_version
from announcements.page_cache import expire_public_content
from newsroom.tasks import waiting
from tests.factories import build_release, url_in
from tests.support import run_worker

pytestmark = pytest.mark.django_db


class Blip:
    """Pauses the real Redis (SIGSTOP) and resumes it."""

    def __init__(self, process, client):
        self.process = process
        self.client = client
        self.paused = False

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)
        self.paused = True

    def resume(self):
        """Once Redis answers again: a resumed process may wait for a core."""
        if self.paused:
            self.process.send_signal(signal.SIGCONT)
            self.client.ping()
            self.paused = False


@pytest.fixture
def redis_cache(settings, redis_server):
    url, client, process = redis_server
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.SoftRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.PAGE_CACHE_SECONDS = 3600
    settings.CACHE_IS_SHARED = True
    return Blip(process, client)


def cached_page(client, release):
    url = url_in(release, "en")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # served from the cache
    return url


def test_a_blip_around_an_unpublish_does_not_keep_the_page(
    home, trial, client, committed, redis_cache, monkeypatch
):
    release = build_release(home, trial)
    url = cached_page(client, release)

    # Redis comes back while the newsroom waits to try again.
    monkeypatch.setattr(content_version.time, "sleep", lambda _: redis_cache.resume())
    redis_cache.pause()
    with committed():
        release.unpublish()

    assert client.get(url).status_code == 404
    assert client.get("/healthz").json()["status"] == "ok"


def test_through_an_outage_the_worker_tells_the_cache_when_it_is_back(
    home, trial, client, committed, redis_cache, monkeypatch
):
    release = build_release(home, trial)
    url = cached_page(client, release)

    monkeypatch.setattr(content_version.time, "sleep", lambda _: None)
    redis_cache.pause()
    with committed():
        release.unpublish()
    redis_cache.resume()

    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "stale"
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=10)):
        run_worker()
    assert client.get(url).status_code == 404
    assert client.get("/healthz").json()["status"] == "ok"


def test_changes_made_through_an_outage_wait_for_one_retry(
    home, trial, client, committed, redis_cache, monkeypatch
):
    """A new version covers every change before it: through an outage the
    worker has one retry to send, not one per change, and it takes every
    withdrawn page down."""
    releases = [build_release(home, trial) for _ in range(3)]
    urls = [cached_page(client, release) for release in releases]

    monkeypatch.setattr(content_version.time, "sleep", lambda _: None)
    redis_cache.pause()
    for release in releases:
        with committed():
            release.unpublish()
    redis_cache.resume()

    assert waiting(expire_public_content).count() == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=10)):
        run_worker()
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert not waiting(expire_public_content).exists()
