"""Publish the releases whose embargo has passed, each exactly once.

This replaces Wagtail's command of the same name (the ``announcements`` app is
listed before ``wagtail`` for that): cron runs it every minute. The rules are in
``announcements.scheduling``; a failed page stays scheduled, is reported, and
makes the command exit non-zero once every due page has been tried.
"""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from wagtail.models import Revision

from announcements.scheduling import StillScheduled, publish_scheduled


class Command(BaseCommand):
    help = (
        "Publish scheduled pages whose go-live time has passed and unpublish "
        "expired ones; each in its own transaction, exactly once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dryrun",
            "--dry-run",
            action="store_true",
            dest="dryrun",
            help="Only list the revisions that are due; change nothing.",
        )

    def run_from_argv(self, argv):
        try:
            super().run_from_argv(argv)
        except StillScheduled as failed:
            # Cron mails what is written: a failure is told once; the exit
            # status says, every run, that something is still waiting.
            if failed.new:
                self.stderr.write(str(failed))
            sys.exit(1)

    def handle(self, *args, dryrun=False, verbosity=1, **options):
        if dryrun:
            due = Revision.objects.filter(
                approved_go_live_at__lt=timezone.now()
            ).order_by("approved_go_live_at")
            for revision in due:
                self.stdout.write(
                    f"{revision.approved_go_live_at:%Y-%m-%d %H:%M}\t"
                    f"{revision.object_str}"
                )
            self.stdout.write(f"{len(due)} revision(s) due; nothing changed.")
            return

        run = publish_scheduled()
        for failure in run.failures:
            if failure.new or verbosity > 1:
                self.stderr.write(f"Not published: {failure.describe()}")
        if verbosity > 0 and (run.published or run.unpublished):
            self.stdout.write(
                self.style.SUCCESS(
                    f"Published {len(run.published)}, unpublished "
                    f"{len(run.unpublished)} expired."
                )
            )
        if run.failures:
            raise StillScheduled(run.failures)
