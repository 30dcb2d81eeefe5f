"""An index on each translated slug of Wagtail's pages.

Routing a reader's address and checking that a new address is free look a
page up among its section's by its slug in one language; without an index
the database reads the whole section (130,000 pages in the benchmark) at
each request and each save, on both databases.

The translated columns are added by wagtail-modeltranslation's ``migrate``
after every migration has run; on a new database they are added here first
(as it would), so that the index has a column to cover."""

from django.db import migrations

TABLE = "wagtailcore_page"
LANGUAGES = ("fr", "en")


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(cursor, TABLE)
        }
    for code in LANGUAGES:
        if f"slug_{code}" not in columns:
            schema_editor.execute(
                f"ALTER TABLE {TABLE} ADD COLUMN slug_{code} varchar(255)"
            )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS newsroom_page_slug_{code} "
            f"ON {TABLE} (slug_{code})"
        )


def drop(apps, schema_editor):
    for code in LANGUAGES:
        schema_editor.execute(f"DROP INDEX IF EXISTS newsroom_page_slug_{code}")


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0021_file_permissions_per_collection"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create, drop)]
