from django.db import migrations, models


# Its content type comes and goes with the table (as the moved models' do in
# ``announcements``' migrations), whether or not post_migrate runs.
def add_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.get_or_create(app_label="press", model="passwordattempts")


def forget_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="press", model="passwordattempts").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("press", "0004_journalist_session_secret"),
    ]

    operations = [
        migrations.CreateModel(
            name="PasswordAttempts",
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
                ("email", models.CharField(max_length=254)),
                ("client", models.CharField(blank=True, max_length=45)),
                ("attempts", models.PositiveIntegerField(default=1)),
                ("last_attempt_at", models.DateTimeField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("email", "client"),
                        name="one_count_per_address_and_client",
                    )
                ],
            },
        ),
        migrations.RunPython(add_content_type, forget_content_type),
    ]
