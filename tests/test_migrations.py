"""A newsroom installed before the press area and alerts had apps of their
own migrates forward keeping every row: journalists, their grants, the log of
embargoed readings, secret links, alert subscriptions, and the permissions
the press office holds on them. The result equals a database migrated from
zero. Data the newsroom's own migrations derive is filled in."""

import datetime

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
)
from wagtail.signal_handlers import disable_reference_index_auto_update

import pytest

from alerts.models import AlertSent, AlertSubscription
from announcements import newsrooms, teams
from announcements.documents import is_carried
from announcements.models import Institution
from announcements.site_tree import ensure_site_tree
from press.models import AccessLog, EmbargoPreviewLink, Journalist, PressAccess
from tests.factories import build_position, build_release, build_trial
from tests.test_images import make_image

Document = get_document_model()
pytestmark = pytest.mark.long
BEFORE = [
    ("announcements", "0015_trial_record_registry"),
    ("press", None),
    ("alerts", None),
]
MOVED = {
    "journalist": "press",
    "pressaccess": "press",
    "accesslog": "press",
    "embargopreviewlink": "press",
    "alertsubscription": "alerts",
    "alertsent": "alerts",
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    reached = [target for target in targets if target[1] is not None]
    return executor.loader.project_state(reached).apps


def snapshot():
    """What makes two databases the same to the newsroom: content types,
    each group's permissions, and the tables with their columns."""
    with connection.cursor() as cursor:
        tables = {
            table: sorted(
                column.name
                for column in connection.introspection.get_table_description(
                    cursor, table
                )
            )
            for table in connection.introspection.table_names(cursor)
        }
    return {
        "content_types": sorted(ContentType.objects.values_list("app_label", "model")),
        "groups": {
            group.name: sorted(
                group.permissions.values_list("content_type__app_label", "codename")
            )
            for group in Group.objects.all()
        },
        "files": sorted(
            GroupCollectionPermission.objects.filter(collection__depth=1).values_list(
                "group__name", "permission__codename"
            )
        ),
        "tables": tables,
    }


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_apps_keeps_every_row_and_permission():
    from_zero = snapshot()
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()

    old = migrate(BEFORE)
    # As the old code wrote them, in the old app's content types.
    OldContentType = old.get_model("contenttypes", "ContentType")
    assert not OldContentType.objects.filter(app_label="press").exists()
    journalist_type = OldContentType.objects.get(
        app_label="announcements", model="journalist"
    )
    page_id = Page.objects.filter(depth=1).values_list("pk", flat=True).get()
    journalist = old.get_model("announcements", "Journalist").objects.create(
        name="Jane Doe",
        outlet="Le Monde",
        email="jane@example.org",
        language="fr",
        status=2,
        password="hash",
        sign_in_nonce="nonce",
        calendar_token="calendar-token",
    )
    old.get_model("announcements", "PressAccess").objects.create(
        journalist_id=journalist.pk, page_id=page_id
    )
    link = old.get_model("announcements", "EmbargoPreviewLink").objects.create(
        page_id=page_id, label="Health desk", token="t" * 43
    )
    old.get_model("announcements", "AccessLog").objects.create(
        page_id=page_id,
        title="Embargoed",
        via="link",
        link_id=link.pk,
        who="Health desk",
        language="fr",
    )
    old.get_model("announcements", "AlertSubscription").objects.create(
        email="reader@example.org", language="en", token="a" * 43
    )
    old.get_model("announcements", "AlertSent").objects.create(
        page_id=page_id, recipients=3
    )

    migrate(leaves)
    ContentType.objects.clear_cache()

    jane = Journalist.objects.get(email="jane@example.org")
    assert (jane.name, jane.outlet, jane.status) == ("Jane Doe", "Le Monde", 2)
    assert jane.newsroom.is_default_site  # the first newsroom's
    assert list(PressAccess.objects.values_list("journalist_id", "page_id")) == [
        (jane.pk, page_id)
    ]
    assert EmbargoPreviewLink.objects.get().label == "Health desk"
    assert AccessLog.objects.get().link.label == "Health desk"
    subscription = AlertSubscription.objects.get()
    assert subscription.email == "reader@example.org"
    assert subscription.site.is_default_site  # the first newsroom's
    assert AlertSent.objects.get().recipients == 3
    # The content type moved with its rows: same id, so every permission and
    # log entry that points at it still does.
    assert ContentType.objects.get_for_model(Journalist).pk == journalist_type.pk
    for model, app_label in MOVED.items():
        assert ContentType.objects.filter(app_label=app_label, model=model).exists()
        assert not ContentType.objects.filter(
            app_label="announcements", model=model
        ).exists()
    press_office = Group.objects.get(name="Communications reviewers")
    assert press_office.permissions.filter(
        pk=Permission.objects.get(codename="view_journalist").pk,
        content_type=journalist_type.pk,
    ).exists()
    assert snapshot() == from_zero


@pytest.mark.django_db(transaction=True)
def test_releases_published_before_the_listing_dates_are_listed_by_them():
    """Migration 0018 gives every live release and statement the date its
    readers see in each language, as a page saved today would have it."""
    home = ensure_site_tree()
    trial = build_trial(home)
    dated = build_release(
        home,
        trial,
        dateline_date_fr=datetime.date(2025, 5, 20),
        dateline_date_en=datetime.date(2025, 5, 21),
    )
    undated = build_release(home, trial, dateline_date_fr=None, dateline_date_en=None)
    statement = build_position(home, trial, source_date=datetime.date(2025, 3, 2))
    pages = [dated, undated, statement]
    expected = {
        page.pk: {code: page.reader_datetime(code) for code in ("fr", "en")}
        for page in pages
    }
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()

    migrate([("announcements", "0017_editorial_roles")])
    migrate(leaves)

    for page in pages:
        page = type(page).objects.get(pk=page.pk)
        assert {
            "fr": page.listed_at_fr,
            "en": page.listed_at_en,
        } == expected[page.pk]


@pytest.mark.django_db(transaction=True)
def test_an_institutions_logo_chosen_before_the_upgrade_is_protected_at_once():
    """Migration 0028 records the institution's references in Wagtail's
    reference index, as saving the setting now does: its logo is carried
    (publishers only change it) from the upgrade on, not from the next save."""
    home = ensure_site_tree()
    logo = make_image("Logo", size=(300, 300))
    with disable_reference_index_auto_update():  # as before the upgrade
        institution = Institution.for_site(home.get_site())
        institution.logo = logo
        institution.save()
    assert not is_carried(logo)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()

    migrate([("announcements", "0027_glossary_permissions")])
    migrate(leaves)

    assert is_carried(logo)


@pytest.mark.django_db(transaction=True)
def test_the_first_newsrooms_site_is_named_after_its_institution():
    """Migration 0030: Wagtail's own migration made the first site without a
    name, so the admin's dashboard called the newsroom "localhost"."""
    site = ensure_site_tree().get_site()
    institution = Institution.for_site(site)
    institution.name_fr = "CHU de Nîmes"
    institution.save()
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()

    migrate([("announcements", "0029_newsroom_edges")])
    Site.objects.filter(pk=site.pk).update(site_name="")  # as before the upgrade
    migrate(leaves)

    assert Site.objects.get(pk=site.pk).site_name == "CHU de Nîmes"


@pytest.mark.django_db(transaction=True)
def test_the_glossary_is_left_to_publishers_in_every_newsroom():
    """Migration 0031: editors and reviewers, of the first newsroom and of
    another, kept adding and changing the glossary's terms; they now read
    it, and publishers keep changing it. It reverses."""
    ensure_site_tree()
    newsrooms.add_newsroom(hostname="filslan.test", name_fr="FILSLAN")
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()

    def glossary(group):
        return set(
            Permission.objects.filter(
                group__name=group, codename__endswith="_glossaryterm"
            ).values_list("codename", flat=True)
        )

    everything = {
        "view_glossaryterm",
        "add_glossaryterm",
        "change_glossaryterm",
        "delete_glossaryterm",
    }
    migrate([("announcements", "0030_sites_named_after_their_institution")])
    for newsroom in ("", "FILSLAN"):
        for role in ("Editors", "Medical reviewers", "Communications reviewers"):
            name = teams.group_name(role, newsroom)
            assert glossary(name) == everything - {"delete_glossaryterm"}, name
    migrate(leaves)
    for newsroom in ("", "FILSLAN"):
        for role in ("Editors", "Medical reviewers", "Communications reviewers"):
            name = teams.group_name(role, newsroom)
            assert glossary(name) == {"view_glossaryterm"}, name
        assert glossary(teams.group_name("Publishers", newsroom)) == everything


@pytest.mark.django_db(transaction=True)
def test_the_first_newsrooms_groups_move_to_its_edge_and_back():
    """Before several newsrooms, the editorial groups held their permissions
    on the whole tree and the root collection. Migration 0029 moves them to
    the newsroom's home page and a collection of its own, with the files the
    root collection kept; every grant and file is kept, and it reverses."""
    home = ensure_site_tree()
    root = Page.objects.get(depth=1)
    migrate([("announcements", "0028_institution_in_the_reference_index")])
    # As before the upgrade: grants on the root, a file in the root collection.
    grants = sorted(
        GroupPagePermission.objects.filter(group__name="Editors").values_list(
            "page_id", "permission__codename"
        )
    )
    assert {page for page, _codename in grants} == {root.pk}
    document = Document.objects.create(
        title="dossier",
        collection=Collection.get_first_root_node(),
        file=ContentFile(b"%PDF-1.4", name="dossier.pdf"),
    )
    files_before = GroupCollectionPermission.objects.filter(
        group__name="Editors", collection__depth=1
    ).count()
    assert files_before

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert sorted(
        GroupPagePermission.objects.filter(group__name="Editors").values_list(
            "page_id", "permission__codename"
        )
    ) == [(home.pk, codename) for _page, codename in grants]
    own = teams.collection_of(home.get_site())
    assert own.depth == 2
    assert (
        GroupCollectionPermission.objects.filter(
            group__name="Editors", collection=own
        ).count()
        == files_before
    )
    assert not GroupCollectionPermission.objects.filter(
        group__name="Editors", collection__depth=1
    ).exists()
    document.refresh_from_db()
    assert document.collection == own

    migrate([("announcements", "0028_institution_in_the_reference_index")])
    assert {
        page
        for page, _codename in GroupPagePermission.objects.filter(
            group__name="Editors"
        ).values_list("page_id", "permission__codename")
    } == {root.pk}
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_journalists_and_readings_from_before_newsrooms_join_their_newsroom():
    """Migration press 0006 gives every journalist the first newsroom, and
    every reading the newsroom of the page read, else of its reader, else
    the first; 0007 then lets one address hold an account per newsroom."""
    home = ensure_site_tree()
    filslan = newsrooms.add_newsroom(hostname="filslan.test", name_fr="FILSLAN")
    trial = build_trial(home)
    theirs = build_release(filslan.root_page, trial)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()

    old = migrate([("press", "0005_password_attempts")])
    OldJournalist = old.get_model("press", "Journalist")
    jane = OldJournalist.objects.create(
        name="Jane Doe", outlet="Le Monde", email="jane@example.org", status=2
    )
    OldAccessLog = old.get_model("press", "AccessLog")
    for title, page_id, journalist_id in (
        ("Read at FILSLAN", theirs.pk, jane.pk),
        ("Page gone, journalist known", None, jane.pk),
        ("Page and link gone", None, None),
    ):
        OldAccessLog.objects.create(
            title=title,
            page_id=page_id,
            journalist_id=journalist_id,
            via="account",
            who="Jane Doe",
            language="fr",
        )

    migrate(leaves)

    first = Site.objects.get(is_default_site=True)
    jane = Journalist.objects.get(email="jane@example.org")
    assert (jane.name, jane.newsroom) == ("Jane Doe", first)
    assert dict(AccessLog.objects.values_list("title", "newsroom")) == {
        "Read at FILSLAN": filslan.pk,
        "Page gone, journalist known": first.pk,
        "Page and link gone": first.pk,
    }
    # The same address, with FILSLAN now.
    Journalist.objects.create(
        newsroom=filslan, name="Jane Doe", outlet="Le Monde", email=jane.email
    )
    assert Journalist.objects.filter(email=jane.email).count() == 2
