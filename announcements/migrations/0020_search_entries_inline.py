"""PostgreSQL keeps a search index entry's vectors in its row, where ranking
reads them, instead of moving the body's vector out to the TOAST table once
a row passes 2 kB (announcements.search_backend). Nothing to do on SQLite.

Rows already written move back in when next written: ``manage.py
update_index`` rewrites them all."""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"


def keep_inline(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # 8160 bytes, the most PostgreSQL allows: a row fills at most one page.
    schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 8160)")


def back_to_default(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0019_page_depth_path_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(keep_inline, back_to_default)]
