"""Add N releases and N statements (with contacts) to the seeded site, for load tests.

Usage: DATABASE_URL=... python bench/populate.py 1000
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from announcements.models import (  # noqa: E402
    Organisation,
    PartnerPosition,
    PositionIndexPage,
    PressContact,
    PressRelease,
    ReleaseIndexPage,
    Trial,
)


def main(count):
    translation.activate("fr")
    trial = Trial.objects.get()
    organisation = Organisation.objects.first()
    contact = PressContact.objects.first()
    releases = ReleaseIndexPage.objects.get()
    positions = PositionIndexPage.objects.get()
    existing = PressRelease.objects.count()
    for number in range(existing, existing + count):
        for parent, model, prefix in (
            (releases, PressRelease, "communique"),
            (positions, PartnerPosition, "position"),
        ):
            page = model(
                title=f"Essai {number}",
                title_fr=f"Essai {number}",
                title_en=f"Trial item {number}",
                slug=f"{prefix}-{number}",
                slug_fr=f"{prefix}-{number}",
                slug_en=f"{prefix}-en-{number}",
                trial=trial,
                organisation=organisation,
                standfirst_fr="Chapeau de test.",
                standfirst_en="Test standfirst.",
                body_fr="<p>Texte de charge.</p>",
                body_en="<p>Load text.</p>",
            )
            page.contact_links = [page.contact_links.model(contact=contact)]
            parent.add_child(instance=page)
            page.save_revision().publish()
    releases, statements = PressRelease.objects.count(), PartnerPosition.objects.count()
    sys.stdout.write(f"{releases} releases, {statements} statements\n")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
