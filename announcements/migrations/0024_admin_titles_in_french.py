from django.db import migrations

BATCH = 2000


def admin_titles_in_french(apps, schema_editor):
    """Wagtail's admin title (``draft_title``) was written in the language
    of whoever saved last; it is now the French title (the language every
    page has): the latest text's, from its revision when it has unpublished
    changes. Pages that have no French title keep theirs."""
    Revision = apps.get_model("wagtailcore", "Revision")
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, "wagtailcore_page"
            )
        }
    if "title_fr" not in columns:
        return  # a new database: wagtail-modeltranslation adds it later
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE wagtailcore_page SET draft_title = title_fr "
            "WHERE NOT has_unpublished_changes AND title_fr IS NOT NULL "
            "AND title_fr <> '' AND draft_title <> title_fr"
        )
        cursor.execute(
            "SELECT id, latest_revision_id FROM wagtailcore_page "
            "WHERE has_unpublished_changes AND latest_revision_id IS NOT NULL"
        )
        drafts = dict(cursor.fetchall())
    titles = {}
    revisions = Revision.objects.filter(pk__in=drafts.values()).only("pk", "content")
    for revision in revisions.iterator(chunk_size=BATCH):
        title = (revision.content or {}).get("title_fr")
        if title:
            titles[revision.pk] = title[:255]
    updates = [
        (titles[revision], page)
        for page, revision in drafts.items()
        if revision in titles
    ]
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE wagtailcore_page SET draft_title = %s WHERE id = %s", updates
        )


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0023_undated_statements_listed_last"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(admin_titles_in_french, migrations.RunPython.noop),
    ]
