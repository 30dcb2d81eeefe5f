"""The institution's references (its logo, its organisation) in Wagtail's
reference index, as saving the setting now records them: its logo is then
protected like any carried file from the day of the upgrade, not from the
setting's next save."""

from django.db import migrations


def index(apps, schema_editor):
    from wagtail.models import ReferenceIndex

    for institution in apps.get_model("announcements", "Institution").objects.all():
        ReferenceIndex.create_or_update_for_object(institution)


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0027_glossary_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(index, migrations.RunPython.noop)]
