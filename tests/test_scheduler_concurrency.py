"""Several scheduler runners at once (two cron jobs, two servers) publish
each scheduled release exactly once.

These tests commit (each runner has its own database connection), so the
database is emptied after them: they live in their own module, which the test
run orders after the others, like the browser tests.
"""

import threading

from django.db import connection, transaction

from wagtail.models import PageLogEntry, Revision

import pytest

from announcements.models import PressRelease
from announcements.scheduling import publish_scheduled
from announcements.site_tree import ensure_site_tree
from tests.factories import build_release, build_trial
from tests.test_scheduler import after, schedule

needs_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
)


@pytest.fixture
def committed_tree(transactional_db):
    """The site tree in committed data, for runners on their own connections."""
    return ensure_site_tree()


def in_thread(target, *args):
    errors = []

    def run():
        try:
            target(*args)
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_a_runner_skips_a_release_another_runner_is_publishing(committed_tree):
    """With two cron jobs or two servers, the second runner neither waits for
    nor repeats a release the first is publishing."""
    release = build_release(committed_tree, build_trial(committed_tree), live=False)
    revision = schedule(release)
    locked, release_lock = threading.Event(), threading.Event()

    def first_runner():
        with transaction.atomic():
            Revision.objects.select_for_update().get(pk=revision.pk)
            locked.set()
            release_lock.wait(timeout=30)

    thread, errors = in_thread(first_runner)
    try:
        assert locked.wait(timeout=30)
        with after(1):
            run = publish_scheduled()
        assert run.published == [] and run.failures == []
    finally:
        release_lock.set()
        thread.join()
    assert not errors
    with after(2):
        assert publish_scheduled().published == [revision.pk]
        assert publish_scheduled().published == []
    assert (
        PageLogEntry.objects.filter(
            page=release, action="wagtail.publish.scheduled"
        ).count()
        == 1
    )


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_concurrent_runners_publish_each_release_exactly_once(committed_tree):
    """Several runners at the same minute publish every due release once: one
    publication, one history entry, one notification per release."""
    trial = build_trial(committed_tree)
    releases = [build_release(committed_tree, trial, live=False) for _ in range(8)]
    for release in releases:
        schedule(release)
    runners = 4
    start = threading.Barrier(runners)
    runs = []

    def runner():
        start.wait(timeout=30)
        runs.append(publish_scheduled())

    with after(1):
        threads = [in_thread(runner) for _ in range(runners)]
        for thread, _errors in threads:
            thread.join()
    assert not [error for _thread, errors in threads for error in errors]
    published = [pk for run in runs for pk in run.published]
    assert len(published) == len(set(published)) == len(releases)
    assert not [failure for run in runs for failure in run.failures]
    for release in releases:
        assert PressRelease.objects.get(pk=release.pk).live
        assert (
            PageLogEntry.objects.filter(
                page=release, action="wagtail.publish.scheduled"
            ).count()
            == 1
        )
