"""Build the newsroom's page tree on a new database.

A new install has Wagtail's welcome page and no newsroom; this command gives it
the home page, the four indexes and the review workflow on releases and
statements. Running it again changes nothing.
"""

from django.core.management.base import BaseCommand

from announcements.site_tree import ensure_site_tree


class Command(BaseCommand):
    help = "Create the home page, its index pages and the review workflow (idempotent)."

    def handle(self, *args, **options):
        home = ensure_site_tree()
        self.stdout.write(self.style.SUCCESS(f"Site tree ready under “{home.title}”."))
