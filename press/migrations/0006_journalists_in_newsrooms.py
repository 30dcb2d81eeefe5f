"""Each newsroom has its own press area: a journalist's account and each
reading of the access log belong to a newsroom (a Wagtail site). Accounts
made before there were several go to the first newsroom (the default site);
each reading goes to the newsroom of the page read, else of the journalist
who read it, else the first. No row is lost. Frozen: it reads no live code."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def _first_newsroom(apps):
    """The default site; when a database has none, Wagtail's own default,
    on the home page (``site_tree.ensure_site_tree`` repairs it)."""
    Site = apps.get_model("wagtailcore", "Site")
    site = Site.objects.filter(is_default_site=True).first()
    site = site or Site.objects.order_by("pk").first()
    if site is not None:
        return site
    Page = apps.get_model("wagtailcore", "Page")
    home = Page.objects.filter(depth=2).order_by("path").first()
    home = home or Page.objects.filter(depth=1).first()
    if home is None:
        raise RuntimeError(
            "Journalists or embargoed readings exist but no page does: there is "
            "no newsroom to give them to."
        )
    return Site.objects.create(
        hostname="localhost",
        port=80,
        root_page=home,
        is_default_site=True,
        site_name="Newsroom",
    )


def give_newsrooms(apps, schema_editor):
    Journalist = apps.get_model("press", "Journalist")
    AccessLog = apps.get_model("press", "AccessLog")
    Site = apps.get_model("wagtailcore", "Site")
    if not (Journalist.objects.exists() or AccessLog.objects.exists()):
        return
    first = _first_newsroom(apps)
    Journalist.objects.filter(newsroom__isnull=True).update(newsroom=first)
    # The deepest home first: a page belongs to the nearest site above it.
    sites = sorted(
        Site.objects.select_related("root_page"),
        key=lambda site: len(site.root_page.path),
        reverse=True,
    )
    for site in sites:
        AccessLog.objects.filter(
            newsroom__isnull=True, page__path__startswith=site.root_page.path
        ).update(newsroom=site)
    AccessLog.objects.filter(newsroom__isnull=True, journalist__isnull=False).update(
        newsroom=Subquery(
            Journalist.objects.filter(pk=OuterRef("journalist_id")).values(
                "newsroom_id"
            )[:1]
        )
    )
    AccessLog.objects.filter(newsroom__isnull=True).update(newsroom=first)


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0005_password_attempts"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="journalist",
            name="newsroom",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="journalists",
                to="wagtailcore.site",
                verbose_name="newsroom",
            ),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="newsroom",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.site",
                verbose_name="newsroom",
            ),
        ),
        migrations.RunPython(give_newsrooms, migrations.RunPython.noop),
    ]
