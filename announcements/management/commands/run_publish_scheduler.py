"""Publish embargoed pages at their time, for a development site.

Wagtail publishes a scheduled page only when ``publish_scheduled`` runs. In
production cron runs it every minute (see the README); ``make run`` starts
this loop beside the development server so that an embargo lifts on time there
too. A run that fails is logged and the loop goes on: the failed page stays
scheduled and the next run tries again.
"""

import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from announcements.scheduling import StillScheduled

logger = logging.getLogger("announcements.scheduling")


class Command(BaseCommand):
    help = "Run publish_scheduled every --interval seconds (development scheduler)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=30)
        parser.add_argument(
            "--runs", type=int, default=0, help="Stop after this many runs (0: never)."
        )

    def handle(self, *args, interval, runs, **options):
        done = 0
        self.stdout.write(f"Publishing scheduled pages every {interval} s.")
        while True:
            try:
                call_command("publish_scheduled", verbosity=0)
            except StillScheduled as failed:
                # Each failure is already logged and reported by the scheduler.
                logger.info("%s Trying again in %s s.", failed, interval)
            except Exception:
                # Exception, not BaseException: Ctrl-C still stops the loop.
                logger.exception(
                    "Scheduler run failed; trying again in %s s.", interval
                )
            done += 1
            if runs and done >= runs:
                return
            time.sleep(interval)
