"""Every journalist belongs to a newsroom (``0006`` gave each one); an
address is unique per newsroom, not in the install: one person may hold an
account with each of several newsrooms. Apart from ``0006`` because
PostgreSQL alters no table with rows changed in the same transaction."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0006_journalists_in_newsrooms"),
    ]

    operations = [
        migrations.AlterField(
            model_name="journalist",
            name="newsroom",
            field=models.ForeignKey(
                help_text=(
                    "The newsroom whose press area they read: its embargoed items "
                    "only, at its address."
                ),
                on_delete=django.db.models.deletion.CASCADE,
                related_name="journalists",
                to="wagtailcore.site",
                verbose_name="newsroom",
            ),
        ),
        migrations.AlterField(
            model_name="journalist",
            name="email",
            field=models.EmailField(
                help_text="Sign-in links and decisions are sent to this address.",
                max_length=254,
                verbose_name="professional e-mail",
            ),
        ),
        migrations.AddConstraint(
            model_name="journalist",
            constraint=models.UniqueConstraint(
                fields=("newsroom", "email"),
                name="one_account_per_newsroom_and_address",
                violation_error_message=(
                    "This newsroom already has a journalist with this address."
                ),
            ),
        ),
    ]
