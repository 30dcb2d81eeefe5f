"""django-tasks-db's worker, which first puts back in the queue what a
worker stopped without notice (killed, its machine gone) left running: a
task still running an hour after it started. The newsroom's tasks are safe to
run again (``newsroom/tasks.py``), and take minutes at most (a batch of 100
messages to a slow mail server)."""

import datetime
import logging

from django.utils import timezone

from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("newsroom.tasks")
ABANDONED_AFTER = datetime.timedelta(hours=1)


class Command(DatabaseWorker):
    def handle(self, *args, **options):
        abandoned = DBTaskResult.objects.running().filter(
            started_at__lt=timezone.now() - ABANDONED_AFTER
        )
        count = abandoned.update(status=TaskResultStatus.READY, started_at=None)
        if count:
            logger.warning(
                "%s task(s) left running by a stopped worker are queued again", count
            )
        super().handle(*args, **options)
