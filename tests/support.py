"""Helpers the test modules share (the fixtures are in ``conftest.py``)."""

import signal
import socket
import subprocess
import time
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

import redis

from newsroom.tasks import BACKEND

ROOT = Path(__file__).resolve().parent.parent
# How long a server the tests start (redis-server, gunicorn, varnishd) may
# take to answer.
READY_SECONDS = 60
# The second newsroom of the tests (FILSLAN's), beside the default site.
OTHER_NEWSROOM = "filslan.test"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def read_sitemap(client):
    """Every entry of the sitemap, reached from ``/sitemap.xml`` as a search
    engine does: ``{location: {hreflang: href}}``."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    entries = {}
    for sitemap in ET.fromstring(index.content).iter(f"{SITEMAP}loc"):
        response = client.get(sitemap.text)
        assert response.status_code == 200, sitemap.text
        for url in ET.fromstring(response.content).iter(f"{SITEMAP}url"):
            location = url.findtext(f"{SITEMAP}loc")
            assert location not in entries, f"{location} listed twice"
            entries[location] = {
                link.get("hreflang"): link.get("href")
                for link in url.iter(f"{XHTML}link")
            }
    return entries


def press_sign_in(client, journalist):
    """Sign ``journalist`` (password "pw", as ``JournalistFactory`` sets it)
    in to the press area, as the sign-in form does."""
    response = client.post(
        "/fr/presse/connexion/",
        {"password-email": journalist.email, "password-password": "pw"},
    )
    assert response.status_code == 302, "the journalist could not sign in"
    return client


def run_worker():
    """Run every queued task that is due, as the worker does: the real
    ``manage.py db_worker``, in this process, in batch mode (it stops when
    nothing is left). Tasks queued after a commit are there only if the test
    committed (the ``committed`` fixture); a retry waits for its time (move
    the clock with time-machine)."""
    stopping = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    handlers = {number: signal.getsignal(number) for number in stopping}
    try:
        # Between tasks the worker closes a connection left outside
        # autocommit, as a dropped one: here that is the test's transaction.
        with mock.patch(
            "django_tasks_db.management.commands.db_worker.close_old_connections"
        ):
            call_command(
                "db_worker",
                f"--backend={BACKEND}",
                batch=True,
                interval=0,
                startup_delay=False,
                reload=False,
                verbosity=0,
            )
    finally:
        # The worker takes Ctrl-C and SIGTERM for its graceful stop: give
        # them back to pytest.
        for number, handler in handlers.items():
            if handler is not None:
                signal.signal(number, handler)


@contextmanager
def module_data(django_db_blocker):
    """Data built once for a whole test module, rolled back after it; each
    test's own changes are rolled back after the test, as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def create_user(username, *groups, **extra):
    """A user with password "pw" in the named groups (``make_user``)."""
    user = get_user_model().objects.create_user(
        username=username, password="pw", email=f"{username}@example.org", **extra
    )
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


# Servers the tests start as real processes ------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(ready, what, process, log):
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} stopped:\n{log.read_text()}")
        try:
            if ready():
                return
        except (OSError, redis.RedisError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} did not start within {READY_SECONDS} s")


class Processes:
    """Started processes, stopped in reverse order at the end (the
    ``processes`` fixture)."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.started = []

    def start(self, name, args, env=None):
        log = self.tmp_path / f"{name}.log"
        handle = log.open("wb")
        process = subprocess.Popen(  # noqa: S603
            args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
        self.started.append((process, handle))
        return process, log

    def stop(self):
        for process, handle in reversed(self.started):
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            handle.close()
