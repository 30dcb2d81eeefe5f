"""The press area's models, until now in ``announcements``: their tables
are kept (``db_table``), so this only adds them to Django's state."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import modelcluster.fields

import press.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("announcements", "0016_press_and_alerts_apps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EmbargoPreviewLink",
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
                            "label",
                            models.CharField(
                                blank=True,
                                help_text="Who the link is for, e.g. “Health desk, Le Monde”.",
                                max_length=255,
                                verbose_name="given to",
                            ),
                        ),
                        (
                            "token",
                            models.CharField(
                                default=press.models.new_link_token,
                                editable=False,
                                max_length=64,
                                unique=True,
                            ),
                        ),
                        (
                            "expires_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="Leave empty for a link that shows the release until its embargo lifts; from then on it leads to the public page.",
                                null=True,
                                verbose_name="expires at",
                            ),
                        ),
                        (
                            "revoked_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="revoked at"
                            ),
                        ),
                        (
                            "granted_at",
                            models.DateTimeField(
                                blank=True,
                                default=django.utils.timezone.now,
                                null=True,
                                verbose_name="granted at",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "granted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="granted by",
                            ),
                        ),
                        (
                            "page",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="embargo_preview_links",
                                to=settings.WAGTAIL_PAGE_MODEL,
                                verbose_name="release or statement",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "embargo preview link",
                        "verbose_name_plural": "embargo preview links",
                        "db_table": "announcements_embargopreviewlink",
                        "ordering": ["-created_at"],
                        "permissions": [
                            ("grant_embargopreviewlink", "Can grant embargo links")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Journalist",
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
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        (
                            "outlet",
                            models.CharField(
                                help_text="The newspaper, agency, radio or channel they work for.",
                                max_length=200,
                                verbose_name="outlet",
                            ),
                        ),
                        (
                            "email",
                            models.EmailField(
                                help_text="Sign-in links and decisions are sent to this address.",
                                max_length=254,
                                unique=True,
                                verbose_name="professional e-mail",
                            ),
                        ),
                        (
                            "language",
                            models.CharField(
                                choices=[("fr", "Français"), ("en", "English")],
                                default="fr",
                                max_length=8,
                                verbose_name="language",
                            ),
                        ),
                        (
                            "status",
                            models.PositiveSmallIntegerField(
                                choices=[
                                    (1, "Pending review"),
                                    (2, "Approved"),
                                    (3, "Refused"),
                                    (4, "Access revoked"),
                                ],
                                default=1,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "all_embargoed",
                            models.BooleanField(
                                default=False,
                                help_text="Reads every approved, scheduled release and statement before its embargo. Otherwise only the items granted below.",
                                verbose_name="every embargoed item",
                            ),
                        ),
                        (
                            "password",
                            models.CharField(
                                blank=True, editable=False, max_length=128
                            ),
                        ),
                        (
                            "sign_in_nonce",
                            models.CharField(
                                default=press.models.new_nonce,
                                editable=False,
                                max_length=32,
                            ),
                        ),
                        (
                            "calendar_token",
                            models.CharField(
                                default=press.models.new_calendar_token,
                                editable=False,
                                max_length=64,
                                unique=True,
                            ),
                        ),
                        (
                            "registered_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="registered at"
                            ),
                        ),
                        (
                            "reviewed_at",
                            models.DateTimeField(
                                editable=False, null=True, verbose_name="reviewed at"
                            ),
                        ),
                        (
                            "reviewed_by",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="reviewed by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "journalist",
                        "verbose_name_plural": "journalists",
                        "db_table": "announcements_journalist",
                        "ordering": ["status", "-registered_at"],
                    },
                ),
                migrations.CreateModel(
                    name="AccessLog",
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
                            "title",
                            models.CharField(max_length=255, verbose_name="item"),
                        ),
                        (
                            "document",
                            models.CharField(
                                blank=True, max_length=255, verbose_name="attachment"
                            ),
                        ),
                        (
                            "via",
                            models.CharField(
                                choices=[
                                    ("account", "Press account"),
                                    ("link", "Secret link"),
                                ],
                                max_length=8,
                                verbose_name="through",
                            ),
                        ),
                        ("who", models.CharField(max_length=255, verbose_name="who")),
                        (
                            "language",
                            models.CharField(max_length=8, verbose_name="language"),
                        ),
                        (
                            "ip_address",
                            models.GenericIPAddressField(
                                blank=True, null=True, verbose_name="IP address"
                            ),
                        ),
                        (
                            "viewed_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now,
                                verbose_name="viewed at",
                            ),
                        ),
                        (
                            "page",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="press_views",
                                to=settings.WAGTAIL_PAGE_MODEL,
                                verbose_name="release or statement",
                            ),
                        ),
                        (
                            "link",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="press.embargopreviewlink",
                                verbose_name="secret link",
                            ),
                        ),
                        (
                            "journalist",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="press.journalist",
                                verbose_name="journalist",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "embargoed reading",
                        "verbose_name_plural": "embargoed readings",
                        "db_table": "announcements_accesslog",
                        "ordering": ["-viewed_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="PressAccess",
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
                        ("granted_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "journalist",
                            modelcluster.fields.ParentalKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="grants",
                                to="press.journalist",
                            ),
                        ),
                        (
                            "page",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.WAGTAIL_PAGE_MODEL,
                                verbose_name="release or statement",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "item granted",
                        "verbose_name_plural": "items granted",
                        "db_table": "announcements_pressaccess",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("journalist", "page"), name="one_grant_per_item"
                            )
                        ],
                    },
                ),
            ],
            # The tables exist: announcements created them.
            database_operations=[],
        )
    ]
