"""PostgreSQL text-search configurations for the newsroom's two languages,
accent-insensitive (announcements.search). Nothing to do on SQLite."""

from django.db import migrations

CONFIGURATIONS = {
    "newsroom_french": ("french", "french_stem"),
    "newsroom_english": ("english", "english_stem"),
    "newsroom_simple": ("simple", "simple"),
}
TOKENS = "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # unaccent is a trusted extension (PostgreSQL 13+): the database's owner
    # may create it without being a superuser.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for name, (parent, dictionary) in CONFIGURATIONS.items():
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{parent})"
        )
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR {TOKENS} WITH unaccent, {dictionary}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("announcements", "0008_trial_condition_status_design")]

    operations = [migrations.RunPython(create, drop)]
