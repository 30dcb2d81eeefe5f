import datetime

from django.db import migrations, models

# The rule of ``announcements.models.announcement.undated_moment`` as it stood
# when this migration was written.
UNDATED_ORIGIN = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)
UNIX_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _relist(apps, moment):
    model = apps.get_model("announcements", "PartnerPosition")
    undated = model.objects.filter(
        source_date__isnull=True, first_published_at__isnull=False
    )
    pages = list(undated.only("pk", "first_published_at"))
    for page in pages:
        page.listed_at_fr = page.listed_at_en = moment(page.first_published_at)
    model.objects.bulk_update(pages, ["listed_at_fr", "listed_at_en"], batch_size=2000)


def list_undated_statements_last(apps, schema_editor):
    """Statements whose source gives no date were listed at the moment they
    were published here; they now sort after every dated item."""
    _relist(apps, lambda published: UNDATED_ORIGIN + (published - UNIX_EPOCH))


def list_them_at_their_publication(apps, schema_editor):
    _relist(apps, lambda published: published)


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0022_page_slug_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="partnerposition",
            name="source_date",
            field=models.DateField(
                blank=True,
                help_text=(
                    "Only when the source gives one: never guess a date. Without "
                    "one, readers see it as undated, listed after dated items."
                ),
                null=True,
                verbose_name="date of the statement",
            ),
        ),
        migrations.RunPython(
            list_undated_statements_last, list_them_at_their_publication
        ),
    ]
