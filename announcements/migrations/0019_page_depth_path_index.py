"""An index on Wagtail's page tree by depth then path.

Wagtail reads a page's children (menus, the admin's explorer, section
pages) as "this depth, paths in this range"; its own indexes are on the path
alone, so on a large tree the database reads every page below the parent to
keep the few at the right depth. This index makes that a short range read,
on both databases."""

from django.db import migrations

NAME = "newsroom_page_depth_path"


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0018_listed_at"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON wagtailcore_page (depth, path)",
            f"DROP INDEX IF EXISTS {NAME}",
        )
    ]
