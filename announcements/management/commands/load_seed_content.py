"""Load the newsroom's seed content (the MIROCALS documents) from ``fixtures/``.

A new site shows real content on its first start. The command is safe to run
at every start: a second run changes nothing, an item an editor changed since
it was loaded is left alone (unless ``--force``), and a faulty fixture changes
nothing at all and names the file and field at fault.
"""

from django.core.management.base import BaseCommand, CommandError

from announcements.seed import FIXTURES_DIR, SeedError, load_seed_content


class Command(BaseCommand):
    help = "Load the seed content from fixtures/ (idempotent, atomic)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures", default=str(FIXTURES_DIR), help="Fixture folder."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite items that editors changed since they were loaded.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change; write nothing.",
        )

    def handle(self, *args, fixtures, force, dry_run, **options):
        try:
            report = load_seed_content(fixtures, force=force, dry_run=dry_run)
        except SeedError as error:
            raise CommandError(
                f"Seed content not loaded, nothing changed. {error}"
            ) from None
        prefix = "Dry run, nothing written: would have " if dry_run else ""
        for key in report.created:
            self.stdout.write(f"  created {key}")
        for key in report.updated:
            self.stdout.write(f"  updated {key}")
        for key in report.kept:
            self.stdout.write(
                self.style.WARNING(
                    f"  kept {key}: edited since it was loaded "
                    "(use --force to overwrite)"
                )
            )
        for key in report.deleted:
            self.stdout.write(
                self.style.WARNING(
                    f"  not recreated {key}: deleted since it was loaded "
                    "(use --force to recreate)"
                )
            )
        if not report.changed and not report.kept and not report.deleted:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seed content already up to date: {len(report.unchanged)} items, "
                    "nothing changed."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{len(report.created)} created, "
                f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
                f"{len(report.kept)} kept, {len(report.deleted)} left deleted."
            )
        )
