"""Every editorial group may read, add and change the lay summaries'
glossary; publishers may delete a term. A frozen copy of
``announcements.roles`` as of this migration."""

from django.db import migrations

WRITE = ["view_glossaryterm", "add_glossaryterm", "change_glossaryterm"]
GLOSSARY_PERMISSIONS = {
    "Editors": WRITE,
    "Medical reviewers": WRITE,
    "Communications reviewers": WRITE,
    "Publishers": [*WRITE, "delete_glossaryterm"],
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="announcements", model="glossaryterm"
    )
    for group_name, codenames in GLOSSARY_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": codename.replace("_", " ")},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("announcements", "0026_lay_summaries_glossary_reading_target")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
