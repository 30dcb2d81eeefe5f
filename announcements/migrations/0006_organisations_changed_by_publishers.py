"""Organisations' public identity is changed by publishers only: bring the
editorial groups in line with announcements.roles."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("announcements", "0005_announcement_base")]

    # The roles are set up, frozen, by 0017_editorial_roles.
    operations = []
