"""Journalists prove their address before anything opens: no existing
account has proved it, so the passwords set before any proof stop working.
Each journalist signs in with a link by e-mail (which proves the address)
and may then set a new password."""

from django.contrib.auth.hashers import make_password
from django.db import migrations, models


def passwords_unusable(apps, schema_editor):
    Journalist = apps.get_model("press", "Journalist")
    for journalist in Journalist.objects.exclude(password="").only("pk"):
        Journalist.objects.filter(pk=journalist.pk).update(password=make_password(None))


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="journalist",
            name="email_confirmed_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="address confirmed at",
            ),
        ),
        migrations.RunPython(passwords_unusable, migrations.RunPython.noop),
    ]
