"""Add an institution's newsroom to the install.

It gets its own address, home page and sections, institution setting, files
collection, editorial groups (granted on its pages and files only) and review
workflow; people are then put in its groups in the admin (Settings › Users).
"""

from django.core.management.base import BaseCommand, CommandError

from announcements import newsrooms, roles, teams
from announcements.models import Organisation


class Command(BaseCommand):
    help = "Add a newsroom (a Wagtail site) for an institution."

    def add_arguments(self, parser):
        parser.add_argument("hostname", help="Its host name, e.g. news.filslan.fr")
        parser.add_argument("--name", required=True, help="Its name, in French.")
        parser.add_argument("--name-en", default="", help="Its name, in English.")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument(
            "--organisation",
            default="",
            help="The slug of its organisation (Snippets › Organisations).",
        )

    def handle(self, *args, hostname, name, name_en, port, organisation, **options):
        found = None
        if organisation:
            found = Organisation.objects.filter(slug=organisation).first()
            if found is None:
                raise CommandError(f"No organisation “{organisation}”; nothing added.")
        try:
            site = newsrooms.add_newsroom(
                hostname=hostname,
                port=port,
                name_fr=name,
                name_en=name_en,
                organisation=found,
            )
        except ValueError as error:
            raise CommandError(f"{error} Nothing added.") from None
        self.stdout.write(
            self.style.SUCCESS(f"Newsroom “{name}” added at {site.root_url}/")
        )
        for role in roles.PAGE_PERMISSIONS:
            self.stdout.write(f"  group: {teams.group_name(role, name)}")
