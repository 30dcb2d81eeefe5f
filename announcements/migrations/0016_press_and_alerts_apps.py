"""The press area and e-mail alerts become apps of their own (``press``,
``alerts``). Their tables stay where they are (``db_table``), so this only
moves the models in Django's state, and their content types."""

from django.db import migrations

# Frozen here: the models that left for the ``press`` and ``alerts`` apps.
MOVED = {
    "journalist": "press",
    "pressaccess": "press",
    "accesslog": "press",
    "embargopreviewlink": "press",
    "alertsubscription": "alerts",
    "alertsent": "alerts",
}


def move_content_types(apps, schema_editor, back=False):
    """Their content types follow them, with every permission and group
    permission that points there (nothing is recreated)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        old, new = ("announcements", app_label)[:: -1 if back else 1]
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, back=True)


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0015_trial_record_registry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="alertsent",
                    name="page",
                ),
                migrations.RemoveField(
                    model_name="alertsubscription",
                    name="trial",
                ),
                migrations.RemoveField(
                    model_name="embargopreviewlink",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="embargopreviewlink",
                    name="granted_by",
                ),
                migrations.RemoveField(
                    model_name="embargopreviewlink",
                    name="page",
                ),
                migrations.RemoveField(
                    model_name="journalist",
                    name="reviewed_by",
                ),
                migrations.RemoveField(
                    model_name="pressaccess",
                    name="journalist",
                ),
                migrations.RemoveField(
                    model_name="pressaccess",
                    name="page",
                ),
                migrations.DeleteModel(
                    name="AccessLog",
                ),
                migrations.DeleteModel(
                    name="AlertSent",
                ),
                migrations.DeleteModel(
                    name="AlertSubscription",
                ),
                migrations.DeleteModel(
                    name="EmbargoPreviewLink",
                ),
                migrations.DeleteModel(
                    name="Journalist",
                ),
                migrations.DeleteModel(
                    name="PressAccess",
                ),
            ],
            database_operations=[
                migrations.RunPython(move_content_types, move_content_types_back)
            ],
        )
    ]
