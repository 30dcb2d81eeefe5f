"""The lay summaries' glossary is changed by publishers only: its
definitions are printed on live summaries at once, with no review. Editors
and reviewers, in every newsroom, keep reading it. A frozen copy of
``announcements.roles`` and ``announcements.teams`` as of this migration."""

from django.db import migrations
from django.db.models import Q

CHANGES = ["add_glossaryterm", "change_glossaryterm"]
READERS = ["Editors", "Medical reviewers", "Communications reviewers"]
# Another newsroom's groups add its name: "Editors — FILSLAN".
SEPARATOR = " — "


def _readers_groups(apps):
    Group = apps.get_model("auth", "Group")
    named = Q(pk__in=[])
    for role in READERS:
        named |= Q(name=role) | Q(name__startswith=role + SEPARATOR)
    return Group.objects.filter(named)


def _changes(apps):
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.filter(
            content_type__app_label="announcements",
            content_type__model="glossaryterm",
            codename__in=CHANGES,
        )
    )


def to_publishers(apps, schema_editor):
    changes = _changes(apps)
    for group in _readers_groups(apps):
        group.permissions.remove(*changes)


def to_every_group(apps, schema_editor):
    changes = _changes(apps)
    for group in _readers_groups(apps):
        group.permissions.add(*changes)


class Migration(migrations.Migration):
    dependencies = [("announcements", "0030_sites_named_after_their_institution")]

    operations = [migrations.RunPython(to_publishers, to_every_group)]
