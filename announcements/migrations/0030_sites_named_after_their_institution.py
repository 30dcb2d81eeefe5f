"""Each newsroom's site bears its institution's name, as saving the setting
now makes it: Wagtail's admin names a newsroom by its site (the dashboard's
heading, the newsroom choices), and the first newsroom's site, made by
Wagtail's own migration, had no name but its host ("localhost")."""

from django.db import migrations


def name_sites(apps, schema_editor):
    Institution = apps.get_model("announcements", "Institution")
    Site = apps.get_model("wagtailcore", "Site")
    for institution in Institution.objects.all():
        # French is the newsroom's default language.
        name = institution.name_fr or institution.name_en or institution.name
        if name:
            Site.objects.filter(pk=institution.site_id, site_name="").update(
                site_name=name
            )


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0029_newsroom_edges"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(name_sites, migrations.RunPython.noop)]
