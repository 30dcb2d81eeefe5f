"""Organisations' public identity is changed by publishers only: bring the
editorial groups in line with announcements.roles."""

from django.db import migrations

from announcements.roles import create_roles


class Migration(migrations.Migration):
    dependencies = [("announcements", "0005_announcement_base")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
