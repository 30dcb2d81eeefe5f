"""Publish embargoed pages at their time, for a development site.

Wagtail publishes a scheduled page only when ``publish_scheduled`` runs. In
production cron runs it every minute (see the README); ``make run`` starts
this loop beside the development server so that an embargo lifts on time there
too.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


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
            call_command("publish_scheduled", verbosity=0)
            done += 1
            if runs and done >= runs:
                return
            time.sleep(interval)
