"""The subscriptions made before there were several newsrooms are the first
newsroom's: the default site's (else the first site). A database that has
subscriptions but no site at all gets the default site Wagtail's own
migrations make (``localhost``, port 80, on the tree's root), which
``site_tree.ensure_site_tree`` then points at the newsroom's home. No row is
lost. Frozen: it reads no live code."""

from django.db import migrations


def to_the_default_site(apps, schema_editor):
    Subscription = apps.get_model("alerts", "AlertSubscription")
    waiting = Subscription.objects.filter(site__isnull=True)
    if not waiting.exists():
        return
    Site = apps.get_model("wagtailcore", "Site")
    site = (
        Site.objects.filter(is_default_site=True).first()
        or Site.objects.order_by("pk").first()
    )
    if site is None:
        root = apps.get_model("wagtailcore", "Page").objects.get(depth=1)
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=root, is_default_site=True
        )
    waiting.update(site=site)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0003_alertsubscription_site"),
    ]

    # Backwards, the column goes (0003): nothing to undo here.
    operations = [migrations.RunPython(to_the_default_site, migrations.RunPython.noop)]
