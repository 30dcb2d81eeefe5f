"""E-mail alerts' models, until now in ``announcements``: their tables are
kept (``db_table``), so this only adds them to Django's state."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import alerts.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("announcements", "0016_press_and_alerts_apps"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AlertSent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "sent_at",
                            models.DateTimeField(default=django.utils.timezone.now),
                        ),
                        ("recipients", models.PositiveIntegerField(default=0)),
                        (
                            "page",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "announcements_alertsent",
                    },
                ),
                migrations.CreateModel(
                    name="AlertSubscription",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "email",
                            models.EmailField(
                                max_length=254, verbose_name="e-mail address"
                            ),
                        ),
                        (
                            "language",
                            models.CharField(
                                choices=[("fr", "Français"), ("en", "English")],
                                max_length=8,
                                verbose_name="language",
                            ),
                        ),
                        (
                            "token",
                            models.CharField(
                                default=alerts.models.new_token,
                                max_length=64,
                                unique=True,
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now,
                                verbose_name="asked at",
                            ),
                        ),
                        (
                            "confirmed_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="confirmed at"
                            ),
                        ),
                        (
                            "trial",
                            models.ForeignKey(
                                blank=True,
                                help_text="Empty: every press release.",
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="announcements.trial",
                                verbose_name="trial",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "e-mail alert",
                        "verbose_name_plural": "e-mail alerts",
                        "db_table": "announcements_alertsubscription",
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("trial__isnull", False)),
                                fields=("email", "language", "trial"),
                                name="one_trial_alert_per_address_and_language",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("trial__isnull", True)),
                                fields=("email", "language"),
                                name="one_release_alert_per_address_and_language",
                            ),
                        ],
                    },
                ),
            ],
            # The tables exist: announcements created them.
            database_operations=[],
        )
    ]
