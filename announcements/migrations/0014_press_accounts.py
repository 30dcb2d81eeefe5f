"""Journalists' accounts, their grants and the log of embargoed readings;
the press office's permissions on them (see announcements.roles)."""

import secrets

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import modelcluster.fields


# Frozen here: a migration never calls code that may change after it.
def new_nonce():
    return secrets.token_urlsafe(16)


def new_calendar_token():
    return secrets.token_urlsafe(32)


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0013_email_alerts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
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
                    models.CharField(blank=True, editable=False, max_length=128),
                ),
                (
                    "sign_in_nonce",
                    models.CharField(
                        default=new_nonce,
                        editable=False,
                        max_length=32,
                    ),
                ),
                (
                    "calendar_token",
                    models.CharField(
                        default=new_calendar_token,
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
                ("title", models.CharField(max_length=255, verbose_name="item")),
                (
                    "document",
                    models.CharField(
                        blank=True, max_length=255, verbose_name="attachment"
                    ),
                ),
                (
                    "via",
                    models.CharField(
                        choices=[("account", "Press account"), ("link", "Secret link")],
                        max_length=8,
                        verbose_name="through",
                    ),
                ),
                ("who", models.CharField(max_length=255, verbose_name="who")),
                ("language", models.CharField(max_length=8, verbose_name="language")),
                (
                    "ip_address",
                    models.GenericIPAddressField(
                        blank=True, null=True, verbose_name="IP address"
                    ),
                ),
                (
                    "viewed_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="viewed at"
                    ),
                ),
                (
                    "link",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="announcements.embargopreviewlink",
                        verbose_name="secret link",
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
                    "journalist",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="announcements.journalist",
                        verbose_name="journalist",
                    ),
                ),
            ],
            options={
                "verbose_name": "embargoed reading",
                "verbose_name_plural": "embargoed readings",
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
                        to="announcements.journalist",
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
                "constraints": [
                    models.UniqueConstraint(
                        fields=("journalist", "page"), name="one_grant_per_item"
                    )
                ],
            },
        ),
    ]
