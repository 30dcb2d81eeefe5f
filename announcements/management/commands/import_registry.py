"""Import a trial's registered facts from ClinicalTrials.gov.

Editors compare what a trial registered with what its publication and the
releases say; this reads the registry now and keeps a dated snapshot on the
trial record (earlier snapshots stay). The trial's own fields are not changed.
"""

from django.core.management.base import BaseCommand, CommandError

from announcements.models import Trial
from announcements.registry import (
    RegistryError,
    import_registry,
    read_registry,
    study_url,
)


class Command(BaseCommand):
    help = (
        "Read a trial's record from ClinicalTrials.gov (CTGOV_API_URL) and keep "
        "it as a dated snapshot on the trial record."
    )

    def add_arguments(self, parser):
        parser.add_argument("registry_id", help="NCT number, e.g. NCT03039673.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check the registry's answer; write nothing.",
        )

    def handle(self, *args, registry_id, dry_run, **options):
        registry_id = registry_id.strip().upper()
        trial = Trial.objects.filter(registry_id=registry_id).first()
        if trial is None:
            raise CommandError(
                f"No trial record has the registry ID {registry_id}: create it "
                "first. Nothing imported."
            )
        if dry_run:
            try:
                read_registry(registry_id)
            except RegistryError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(
                self.style.SUCCESS(
                    f"Dry run, nothing written: {registry_id} read from "
                    f"{study_url(registry_id)}."
                )
            )
            return
        try:
            snapshot = import_registry(trial)
        except RegistryError as error:
            raise CommandError(str(error)) from None
        kept = trial.registry_snapshots.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{registry_id} imported from {snapshot.source_url} for "
                f"{trial.title} ({kept} snapshot{'s' if kept > 1 else ''} kept)."
            )
        )
