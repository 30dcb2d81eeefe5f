"""Background work: what the worker (``manage.py db_worker --backend
background``) does off the request, and how a failed attempt is tried again.

django-tasks runs each queued task once and never retries it. A task that
must not be lost (a mail) calls ``retry_later`` when it fails: the same task
is queued again, with the next attempt's number, to run after a delay that
doubles from a minute up to an hour, and so on until it succeeds. Its
arguments name what to do (an item, a subscription), so that a second run of
a task that already did its work finds it done and does nothing.
"""

import datetime
import logging
import reprlib

from django.db import transaction
from django.utils import timezone

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("newsroom.tasks")

# The task backend (settings.TASKS) whose queue the worker runs.
BACKEND = "background"
FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_RETRY = datetime.timedelta(hours=1)


def retry_delay(attempt):
    """How long after failed attempt number ``attempt`` (from 1) the next
    one runs."""
    return min(FIRST_RETRY * 2 ** min(attempt - 1, 16), LONGEST_RETRY)


def retry_later(task, attempt, *args):
    """Queue ``task(*args, attempt=attempt + 1)`` after attempt ``attempt``
    failed."""
    delay = retry_delay(attempt)
    task.using(run_after=timezone.now() + delay).enqueue(*args, attempt=attempt + 1)
    logger.warning(
        "%s%s failed (attempt %s); trying again in %s",
        task.name,
        reprlib.repr(args),
        attempt,
        delay,
    )


def runs(task, *statuses):
    """The runs of ``task`` in the queue whose status is one of these."""
    return DBTaskResult.objects.filter(task_path=task.module_path, status__in=statuses)


def waiting(task):
    """The queued runs of ``task`` not started yet, due or not."""
    return runs(task, TaskResultStatus.READY)


def enqueue_on_commit(task, *args):
    """Queue ``task(*args)`` once the current transaction is committed (at
    once outside one): a change rolled back queues nothing."""
    transaction.on_commit(lambda: task.enqueue(*args))
