"""Give a development site an administrator, and say how to log in.

Only for local use (the README's run command): it refuses to run when DEBUG
is off, so a production database never gets a known password.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "newsroom-admin"  # noqa: S105 - printed on purpose, development only


class Command(BaseCommand):
    help = "Create the development administrator (admin / newsroom-admin) if missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url", default="http://127.0.0.1:8000", help="Where the site runs."
        )

    def handle(self, *args, site_url, **options):
        if not settings.DEBUG:
            raise CommandError(
                "create_dev_admin is for development only (DEBUG is off)."
            )
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=USERNAME,
            defaults={
                "email": "admin@example.org",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Log in at {site_url}/admin/ as “{USERNAME}”, "
                f"password “{PASSWORD}”"
                + ("" if created else " (unless you changed it)")
                + f". The public site is at {site_url}/."
            )
        )
