"""Every subscription has its newsroom, and an address subscribes once per
newsroom (and language, and trial): the same address may subscribe to two
newsrooms. Apart from the data migration (0004), so that PostgreSQL alters a
table whose rows were just updated in an earlier transaction. Backwards, an
address subscribed in two newsrooms stops the old one-per-address rule from
coming back: unsubscribe one first."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0004_subscriptions_of_the_default_site"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alertsubscription",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="wagtailcore.site",
                verbose_name="newsroom",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="alertsubscription",
            name="one_trial_alert_per_address_and_language",
        ),
        migrations.RemoveConstraint(
            model_name="alertsubscription",
            name="one_release_alert_per_address_and_language",
        ),
        migrations.AddConstraint(
            model_name="alertsubscription",
            constraint=models.UniqueConstraint(
                condition=models.Q(("trial__isnull", False)),
                fields=("site", "email", "language", "trial"),
                name="one_trial_alert_per_newsroom_address_and_language",
            ),
        ),
        migrations.AddConstraint(
            model_name="alertsubscription",
            constraint=models.UniqueConstraint(
                condition=models.Q(("trial__isnull", True)),
                fields=("site", "email", "language"),
                name="one_release_alert_per_newsroom_address_and_language",
            ),
        ),
    ]
