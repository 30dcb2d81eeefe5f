"""The demo of several newsrooms: each MIROCALS partner (FILSLAN,
AFM-Téléthon, ILTOO Pharma) in a newsroom of its own at
``<organisation>.localhost``, with its seed statement (``make run
PARTNERS=1``). Safe to run again."""

from django.core.management.base import BaseCommand

from wagtail.models import Site

from announcements import newsrooms


class Command(BaseCommand):
    help = "Serve each seed partner in its own newsroom at <organisation>.localhost."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--domain", default="localhost")

    def handle(self, *args, port, domain, **options):
        newsrooms.partners_demo(port=port, domain=domain)
        for site in Site.objects.exclude(is_default_site=True).order_by("pk"):
            self.stdout.write(f"  {site.site_name}: {site.root_url}/")
