"""Several newsrooms in one install: each institution's newsroom is a Wagtail
site of its own, whose editors and reviewers act on its pages and files only;
a trial is one record, shown by every newsroom that publishes about it with
everything every newsroom published about it, credited and linked to where
it was published."""

import datetime
import json

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site, Workflow
from wagtail.test.utils.form_data import querydict_from_html

import time_machine
from bs4 import BeautifulSoup

from announcements import newsrooms, scheduling, teams
from announcements.models import Institution
from tests.factories import (
    OrganisationFactory,
    build_position,
    build_release,
    build_summary,
    build_trial,
    schedule,
)
from tests.support import OTHER_NEWSROOM as OTHER
from tests.test_public_changes import attach, document, png, replace

Document = get_document_model()
Image = get_image_model()


def workflow_of(site):
    """The review workflow of the newsroom's sections."""
    return Workflow.objects.filter(
        workflow_pages__page__path__startswith=site.root_page.path
    ).first()


def get(client, path, host="localhost", **kwargs):
    return client.get(path, HTTP_HOST=host, **kwargs)


def is_live(page):
    return Page.objects.get(pk=page.pk).live


def test_a_new_newsroom_is_a_site_with_its_own_sections_groups_and_review(home, other):
    assert other.root_page.get_children().count() == 4
    assert Institution.for_site(other).name_fr == "FILSLAN"
    for role in ("Editors", "Medical reviewers", "Communications reviewers"):
        mine = teams.groups_for(role, other.root_page)
        assert [group.name for group in mine] == [f"{role} — FILSLAN"]
        theirs = teams.groups_for(role, home)
        assert [group.name for group in theirs] == [role]
    workflow = workflow_of(other)
    assert workflow != workflow_of(Site.objects.get(is_default_site=True))
    steps = [task.specific for task in workflow.tasks]
    assert [list(step.groups.values_list("name", flat=True)) for step in steps] == [
        ["Medical reviewers — FILSLAN"],
        ["Communications reviewers — FILSLAN"],
    ]
    assert teams.collection_of(other).name == "FILSLAN"


def test_an_editor_acts_only_in_their_own_newsroom(home, trial, other, crew, client):
    """Edit, preview, create, explorer: the other newsroom's drafts are out of
    reach, the editor's own are not."""
    theirs = build_release(home, trial, live=False)
    mine = build_release(other.root_page, trial, live=False)
    client.force_login(crew["other_editor"])
    for view in ("edit", "preview_on_edit"):
        url = reverse(f"wagtailadmin_pages:{view}", args=(theirs.pk,))
        assert client.get(url).status_code in (302, 403)
        url = reverse(f"wagtailadmin_pages:{view}", args=(mine.pk,))
        assert client.get(url).status_code == 200
    index = theirs.get_parent()
    add = reverse(
        "wagtailadmin_pages:add", args=("announcements", "pressrelease", index.pk)
    )
    assert client.get(add).status_code in (302, 403)
    explorer = client.get(reverse("wagtailadmin_explore", args=(index.pk,)))
    assert explorer.status_code in (302, 403)
    # Choosing a trial shows their public trial, never their drafts.
    draft_trial = build_trial(home, live=False, title_fr="Essai en projet")
    chooser = client.get(
        reverse("wagtailadmin_choose_page_child", args=(trial.get_parent().pk,)),
        {"page_type": "announcements.trial"},
    )
    assert trial.title_fr in chooser.text
    assert "Essai en projet" not in chooser.text
    client.force_login(crew["editor"])
    chooser = client.get(
        reverse("wagtailadmin_choose_page_child", args=(trial.get_parent().pk,)),
        {"page_type": "announcements.trial"},
    )
    assert "Essai en projet" in chooser.text and draft_trial.pk
    client.force_login(crew["other_editor"])
    # The admin's search finds nothing of theirs.
    found = client.get(reverse("wagtailadmin_pages:search"), {"q": theirs.title})
    assert f"/admin/pages/{theirs.pk}/" not in found.text


def test_review_stays_with_the_newsrooms_own_reviewers(
    home, trial, other, crew, client
):
    release = build_release(other.root_page, trial, live=False)
    release.save_revision(user=crew["other_editor"])
    state = release.get_workflow().start(release, crew["other_editor"])
    task_state = state.current_task_state
    action = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(release.pk, "approve", task_state.pk),
    )
    client.force_login(crew["medical"])
    client.post(action, {"comment": ""})
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_IN_PROGRESS
    # Not on their dashboard either.
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert f"/admin/pages/{release.pk}/" not in dashboard.text

    client.force_login(crew["other_medical"])
    client.post(action, {"comment": ""})
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_APPROVED


def test_bulk_actions_stop_at_the_newsrooms_edge(home, trial, other, crew, client):
    theirs = build_release(home, trial)
    draft = build_release(home, trial, live=False)
    client.force_login(crew["other_publisher"])
    for action, page in (("unpublish", theirs), ("publish", draft)):
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
        client.post(f"{url}?id={page.pk}&next=/admin/", {})
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    client.post(f"{url}?id={theirs.pk}&next=/admin/", {})
    assert is_live(theirs) and not is_live(draft)
    assert Page.objects.filter(pk=theirs.pk).exists()


def test_a_publisher_elsewhere_is_a_reviewer_here(
    home, trial, other, make_user, client
):
    """Someone who publishes in FILSLAN's newsroom and reviews in the CHU's
    publishes FILSLAN's pages directly, but neither publishes the CHU's
    drafts without review nor replaces a file the CHU's public page carries:
    a role acts in its own newsroom only."""
    both = make_user(
        "both", "Communications reviewers", teams.group_name("Publishers", "FILSLAN")
    )
    client.force_login(both)
    ours = build_release(home, trial, live=False, title_fr="Brouillon du CHU")
    theirs = build_release(other.root_page, trial, live=False, title_fr="De FILSLAN")
    for page in (ours, theirs):
        edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
        html = client.get(edit).text
        assert ('name="action-publish"' in html) is (page is theirs)
        data = querydict_from_html(html, form_id="page-edit-form")
        data["action-publish"] = "action-publish"
        assert client.post(edit, data).status_code == 302
    assert not is_live(ours) and is_live(theirs)

    carried = document(None, "dossier-du-chu")
    attach(build_release(home, trial, live=False), carried)
    assert replace(client, both, carried, "Remplacé").title == "dossier-du-chu"


def test_files_stop_at_the_newsrooms_edge(home, other, crew, client):
    """Documents and images live in each newsroom's collection: the other
    newsroom's are not listed, chosen, edited or deleted, nor opened before
    they are public."""
    document = Document.objects.create(
        title="dossier-chu",
        collection=teams.collection_of(Site.objects.get(is_default_site=True)),
        file=ContentFile(b"%PDF-1.4 chu", name="chu.pdf"),
    )
    image = Image.objects.create(
        title="photo-chu",
        collection=teams.collection_of(Site.objects.get(is_default_site=True)),
        file=png("red", "chu.png"),
    )
    client.force_login(crew["other_editor"])
    # Carried by no live page yet: its newsroom's staff open it, no one else.
    assert client.get(document.url).status_code == 404
    for app, thing in (("wagtaildocs", document), ("wagtailimages", image)):
        listing = client.get(reverse(f"{app}:index"))
        assert thing.title not in listing.text
        chooser = client.get(reverse(f"{app}_chooser:choose"))
        assert thing.title not in chooser.text
        assert client.get(reverse(f"{app}:edit", args=(thing.pk,))).status_code in (
            302,
            403,
        )
        client.post(reverse(f"{app}:delete", args=(thing.pk,)))
        assert type(thing).objects.filter(pk=thing.pk).exists()
    # Their own upload lands in their own collection.
    client.post(
        reverse("wagtaildocs:add"),
        {"title": "dossier-filslan", "file": ContentFile(b"%PDF-1.4", name="f.pdf")},
    )
    uploaded = Document.objects.get(title="dossier-filslan")
    assert uploaded.collection == teams.collection_of(other)

    client.force_login(crew["editor"])
    assert "dossier-chu" in client.get(reverse("wagtaildocs:index")).text
    assert client.get(document.url).status_code == 200


def test_each_newsroom_publishes_its_own_pages(home, trial, other, client):
    """Home, sections, feeds, search, sitemap, calendar and API of one
    newsroom carry its items, not the other's."""
    chu = build_release(home, trial, title_fr="Annonce du CHU", title_en="CHU news")
    filslan = build_release(
        other.root_page, trial, title_fr="Annonce FILSLAN", title_en="FILSLAN news"
    )
    for host, own, foreign in (
        ("localhost", chu, filslan),
        (OTHER, filslan, chu),
    ):
        pages = [
            "/fr/",
            "/fr/communiques/",
            "/fr/flux/",
            "/fr/calendrier.ics",
            "/fr/recherche/?q=annonce",
            "/sitemap-pages.xml",
            "/api/v2/releases/?fields=title",
        ]
        for path in pages:
            response = get(client, path, host)
            assert response.status_code == 200, path
            text = response.content.decode()
            assert own.title_fr in text or str(own.pk) in text or own.slug in text, (
                host,
                path,
            )
            assert foreign.title_fr not in text, (host, path)
            assert f"/{foreign.slug}/" not in text, (host, path)
        api = json.loads(get(client, "/api/v2/releases/", host).content)
        assert [item["id"] for item in api["items"]] == [own.pk]


def test_a_trial_is_one_record_shown_by_every_newsroom_about_it(
    home, trial, other, client
):
    """FILSLAN publishes about the CHU's trial: each newsroom's trial page
    lists both newsrooms' items, credits each to its newsroom and links it to
    where it was published; FILSLAN's copy points search engines at the CHU's
    record."""
    release = build_release(home, trial, title_fr="Le CHU annonce")
    statement = build_position(other.root_page, trial, title_fr="FILSLAN salue")
    with_trial = trial.get_url()  # /fr/essais/mirocals/ on the CHU's site
    path = "/fr/essais/" + trial.slug_fr + "/"
    assert with_trial.endswith(path)

    for host in ("localhost", OTHER):
        response = get(client, path, host)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        text = soup.get_text(" ", strip=True)
        assert "Le CHU annonce" in text and "FILSLAN salue" in text
        canonical = soup.select_one('link[rel="canonical"]')["href"]
        assert canonical == f"http://localhost{path}"
        cards = {
            card.select_one(".card-title").get_text(strip=True): card
            for card in soup.select(".announcement-card")
        }
        chu, filslan = cards["Le CHU annonce"], cards["FILSLAN salue"]
        if host == OTHER:
            assert chu.select_one("a")["href"].startswith(
                "http://localhost/fr/communiques/"
            )
            assert chu.select_one(".card-newsroom").get_text(strip=True) == (
                "Salle de presse de CHU de Nîmes"
            )
            assert filslan.select_one("a")["href"].startswith("/fr/prises-de-position/")
            assert filslan.select_one(".card-newsroom") is None
            # Read in FILSLAN's newsroom: its header, its language links.
            assert "FILSLAN" in soup.select_one("header").get_text()
            english = soup.select_one('a[hreflang="en"]') or soup.select_one(
                'a[lang="en"]'
            )
            assert english["href"] == "/en/trials/" + trial.slug_en + "/"
        else:
            assert chu.select_one("a")["href"].startswith("/fr/communiques/")
            assert chu.select_one(".card-newsroom") is None
            assert filslan.select_one("a")["href"].startswith(
                f"http://{OTHER}/fr/prises-de-position/"
            )
            assert filslan.select_one(".card-newsroom").get_text(strip=True) == (
                "Salle de presse de FILSLAN"
            )
    # The shared trial is in FILSLAN's directory and home, at its address
    # there, and not in its sitemap.
    for section in ("/fr/essais/", "/fr/"):
        listed = BeautifulSoup(get(client, section, OTHER).content, "html.parser")
        assert [a["href"] for a in listed.select(".trial-card a")] == [path]
    statement_page = get(client, statement.get_url_parts()[2], OTHER).content
    trial_box = BeautifulSoup(statement_page, "html.parser").select_one(
        ".trial-box a, #trial-box-title a"
    )
    assert trial_box["href"] == path
    assert path not in get(client, "/sitemap-pages.xml", OTHER).content.decode()
    # A trial FILSLAN says nothing about is not shown there.
    assert get(client, "/fr/essais/inconnu/", OTHER).status_code == 404
    assert release.pk and statement.pk


def test_nothing_of_one_newsrooms_embargo_reaches_the_other(
    home, trial, other, client, page_cache_on, committed
):
    """The CHU's release under embargo is on none of FILSLAN's pages, feeds,
    search, API or cached answers, until the scheduler lifts it."""
    build_position(other.root_page, trial, title_fr="FILSLAN salue")
    embargo = timezone.now() + datetime.timedelta(hours=2)
    release = build_release(home, trial, live=False, title_fr="Secret du CHU")
    schedule(release, embargo)
    assert not is_live(release)
    path = "/fr/essais/" + trial.slug_fr + "/"
    doors = [
        path,
        "/fr/",
        "/fr/essais/",
        f"/fr/flux/essais/{trial.registry_id}/",
        "/fr/flux/",
        "/fr/recherche/?q=secret",
        "/sitemap-pages.xml",
        "/api/v2/releases/?fields=title",
        "/api/v2/trials/?fields=title",
    ]
    for _ in range(2):  # the second read comes from the cache
        for host in (OTHER, "localhost"):
            for door in doors:
                text = get(client, door, host).content.decode()
                assert "Secret du CHU" not in text, (host, door)
                assert f"/{release.slug_fr}/" not in text, (host, door)

    with time_machine.travel(embargo + datetime.timedelta(minutes=1), tick=False):
        with committed():
            call_command("publish_scheduled", verbosity=0)
        for door in (path, f"/fr/flux/essais/{trial.registry_id}/"):
            assert "Secret du CHU" in get(client, door, OTHER).content.decode()
        # Its own newsroom's lists only.
        assert "Secret du CHU" not in get(client, "/fr/flux/", OTHER).content.decode()
        assert "Secret du CHU" in get(client, "/fr/flux/", "localhost").content.decode()


def test_the_page_cache_never_answers_one_newsroom_with_the_others_page(
    home, client, page_cache_on, committed, django_assert_num_queries
):
    """Two newsrooms at one address each: each host's answer is cached, and
    served again from the cache, apart."""
    with committed():
        newsrooms.add_newsroom(hostname=OTHER, name_fr="FILSLAN")
        Institution.objects.filter(site__is_default_site=True).update(name_fr="CHU")
    for path in ("/fr/", "/fr/essais/", "/fr/flux/"):
        first = {host: get(client, path, host).content for host in ("localhost", OTHER)}
        with django_assert_num_queries(0):
            again = {
                host: get(client, path, host).content for host in ("localhost", OTHER)
            }
        assert again == first
        assert first["localhost"] != first[OTHER]
    assert b"FILSLAN" in first[OTHER] and b"FILSLAN" not in first["localhost"]


def test_a_failed_lift_is_told_to_the_newsrooms_own_reviewers(home, trial, other, crew):
    """The scheduler's report of a lift that failed reaches the
    communications reviewers of the page's newsroom, and no other's."""
    release = build_release(other.root_page, trial, live=False)
    failure = scheduling.Failure(
        revision=release.save_revision(),
        object=release,
        error=ValueError("address taken"),
        reason="address taken",
        new=True,
    )
    sent = scheduling.report_failure(failure)
    assert [address for address, _subject, _body in sent] == [
        crew["other_communications"].email
    ]


def test_organisations_are_shared_and_changed_by_publishers(home, other, crew, client):
    """An organisation is one record every newsroom names: any newsroom's
    editor adds one and chooses it; changing it is for publishers."""
    organisation = OrganisationFactory(name_fr="AFM-Téléthon", slug="afm")
    edit = reverse(
        "wagtailsnippets_announcements_organisation:edit", args=(organisation.pk,)
    )
    listing = reverse("wagtailsnippets_announcements_organisation:list")
    client.force_login(crew["other_editor"])
    assert "AFM-Téléthon" in client.get(listing).text
    assert client.get(edit).status_code in (302, 403)
    client.force_login(crew["other_publisher"])
    assert client.get(edit).status_code == 200


def test_a_shared_trials_lay_summary_is_read_in_the_newsroom_that_shows_it(
    home, trial, other, client
):
    """FILSLAN's readers reach the CHU's lay summary of the trial at
    FILSLAN's address, and switch language without leaving FILSLAN."""
    build_position(other.root_page, trial)
    summary = build_summary(trial)
    here = f"/fr/essais/{trial.slug_fr}/{summary.slug_fr}/"
    response = get(client, here, OTHER)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert "FILSLAN" in soup.select_one("header").get_text()
    english = soup.select_one('a[hreflang="en"]') or soup.select_one('a[lang="en"]')
    assert english["href"] == f"/en/trials/{trial.slug_en}/{summary.slug_en}/"
    assert get(client, english["href"], OTHER).status_code == 200
