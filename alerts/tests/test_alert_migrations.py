"""Alert subscriptions made before there were several newsrooms are the
first newsroom's after the upgrade, every one of them; an address may then
subscribe once per newsroom."""

from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from wagtail.models import Page, Site

import pytest

from alerts.models import AlertSubscription
from announcements.site_tree import ensure_site_tree

BEFORE = [("alerts", "0002_deliveries")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_subscriptions_go_to_the_default_site_and_none_is_lost():
    Site.objects.all().delete()
    root = Page.objects.get(depth=1)
    # Another site first, so that the default one is not merely the first.
    other = Site.objects.create(hostname="filslan.test", root_page=root)
    default = Site.objects.create(
        hostname="news.example.org", root_page=root, is_default_site=True
    )
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()

    old = migrate(BEFORE)
    OldSubscription = old.get_model("alerts", "AlertSubscription")
    for language in ("fr", "en"):
        OldSubscription.objects.create(
            email="reader@example.org", language=language, token=language + "x" * 41
        )
    migrate(leaves)

    kept = AlertSubscription.objects.order_by("language")
    assert [(row.language, row.site_id) for row in kept] == [
        ("en", default.pk),
        ("fr", default.pk),
    ]
    # The same address, language and choice: once per newsroom.
    AlertSubscription.objects.create(
        site=other, email="reader@example.org", language="en"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AlertSubscription.objects.create(
            site=default, email="reader@example.org", language="en"
        )


@pytest.mark.django_db(transaction=True)
def test_without_any_site_the_subscriptions_get_wagtails_default_one():
    """A database with subscriptions and no site (its site deleted): the
    default site Wagtail makes, which the newsroom's set-up then points at
    its home (``ensure_site_tree``)."""
    Site.objects.all().delete()
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate(BEFORE)
    old.get_model("alerts", "AlertSubscription").objects.create(
        email="reader@example.org", language="fr", token="f" * 43
    )
    migrate(leaves)

    site = AlertSubscription.objects.get(email="reader@example.org").site
    assert (site.hostname, site.port, site.is_default_site) == ("localhost", 80, True)
    home = ensure_site_tree()
    newsroom = Site.objects.get()
    assert (newsroom.pk, newsroom.root_page_id) == (site.pk, home.pk)
