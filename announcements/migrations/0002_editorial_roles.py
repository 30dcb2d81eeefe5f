"""Editorial roles and the two-step review workflow (see announcements.roles)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    # The roles are set up, frozen, by 0017_editorial_roles.
    operations = []
