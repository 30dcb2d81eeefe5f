"""The review is named in the editor's language: the workflow and its steps
are stored once, in English, and shown in French to French editors."""

import json

from django.urls import reverse
from django.utils import translation

from wagtail.models import Task, Workflow
from wagtail.users.models import UserProfile
from wagtail.utils.version import get_main_version

import pytest
from bs4 import BeautifulSoup

from announcements.roles import REVIEW_WORKFLOW
from announcements.workflows import review_workflow
from tests.factories import build_contact, build_release


def editor_in(make_user, language, group="Editors", username="editor"):
    """A member of ``group`` whose admin is in ``language``."""
    user = make_user(f"{username}-{language}", group)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.mark.parametrize(
    ("kind", "labels"),
    [
        (
            "release",
            (
                "Soumettre à Relecture médicale → Relecture communication",
                "Submit to Medical review → Communications review",
            ),
        ),
        # Contacts, the home page and the indexes go through Wagtail's own
        # workflow, which the newsroom renamed.
        (
            "contact",
            ("Soumettre à Approbation des éditeurs", "Submit to Publishers approval"),
        ),
    ],
)
def test_the_submit_button_names_the_workflow_in_the_editors_language(
    home, trial, make_user, client, kind, labels
):
    if kind == "release":
        page = build_release(home, trial, live=False)
    else:
        page = build_contact(home)
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    for language, label in zip(("fr", "en"), labels, strict=True):
        client.force_login(editor_in(make_user, language))
        assert label in client.get(url).content.decode()


def test_names_saved_from_a_french_screen_stay_stored_in_english(home):
    workflow = review_workflow()
    with translation.override("fr"):
        assert workflow.name == "Relecture médicale → Relecture communication"
        workflow.save()
        for task in Task.objects.filter(name__in=["Medical review"]):
            assert task.name == "Relecture médicale"
            task.save()
    assert Workflow.objects.filter(name=REVIEW_WORKFLOW).exists()
    stored = Workflow.objects.filter(pk=workflow.pk).values_list("name", flat=True)
    assert list(stored) == [REVIEW_WORKFLOW]
    assert Task.objects.filter(name="Medical review").exists()
    assert review_workflow() == workflow


def test_the_reviewers_comment_box_is_labelled_in_their_language(
    home, trial, people, make_user, client
):
    """Wagtail's "Approve with comment" form, whichever language the server
    started in."""
    release = build_release(home, trial, live=False)
    release.get_workflow().start(release, people["editor"])
    for step, group in (
        ("medical", "Medical reviewers"),
        ("communications", "Communications reviewers"),
    ):
        state = release.current_workflow_task_state
        url = reverse(
            "wagtailadmin_pages:workflow_action",
            args=(release.pk, "approve", state.pk),
        )
        for language, label in (("fr", "Commentaire"), ("en", "Comment")):
            client.force_login(editor_in(make_user, language, group, step))
            html = BeautifulSoup(client.get(url).json()["html"], "html.parser")
            assert (
                html.find("label", attrs={"for": "id_comment"}).get_text(strip=True)
                == label
            ), (step, language)
        state.approve(user=people[step])
        release.refresh_from_db()


def test_the_add_buttons_read_as_french_not_un_e(home, trial, people, client):
    """Wagtail's French "Ajouter un(e) Rectificatif" reads "Ajouter :
    Rectificatif"."""
    release = build_release(home, trial, live=False)
    client.force_login(people["editor"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=(release.pk,))).text
    buttons = [
        button.get_text(" ", strip=True)
        for button in BeautifulSoup(html, "html.parser").select("button")
    ]
    assert "Ajouter : Rectificatif" in buttons
    assert "un(e)" not in html


def test_the_lock_banner_says_the_time_with_its_zone(home, trial, people, client):
    import re

    from django.utils import timezone

    release = build_release(home, trial, live=False)
    release.locked, release.locked_by = True, people["publisher"]
    release.locked_at = timezone.now()
    release.save()
    client.force_login(people["editor"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=(release.pk,))).text
    text = BeautifulSoup(html, "html.parser").get_text(" ", strip=True)
    assert re.search(
        r"verrouillé\(e\) par paul le \d+ \w+ \d{4} \d\d:\d\d CES?T", text
    ), re.findall(r".{60}verrouill.{80}", text)


def test_admin_listings_keep_one_language_whoever_saved_last(
    home, trial, people, client
):
    """Wagtail writes a page's admin title in the language of whoever saved
    it; the newsroom keeps the French title (the language every page has)."""
    from announcements.models import ReleaseIndexPage

    release = build_release(
        home, trial, live=False, title_fr="Titre français", title_en="English title"
    )
    editor = people["editor"]
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(editor)
    with translation.override("en"):
        release.save_revision(user=editor)
    assert type(release).objects.get(pk=release.pk).draft_title == "Titre français"
    index = ReleaseIndexPage.objects.get()
    listing = client.get(reverse("wagtailadmin_explore", args=(index.pk,))).text
    assert "Titre français" in listing


def test_a_contact_chosen_twice_is_said_plainly_and_nothing_is_saved(
    home, trial, people, client
):
    from wagtail.test.utils.form_data import querydict_from_html

    from tests.factories import build_contact

    release = build_release(home, trial, live=False)
    contact = build_contact(home)
    client.force_login(people["editor"])
    edit = reverse("wagtailadmin_pages:edit", args=(release.pk,))
    data = querydict_from_html(client.get(edit).text, form_id="page-edit-form")
    revisions = release.revisions.count()
    data["contact_links-TOTAL_FORMS"] = "2"
    for index in (0, 1):
        data[f"contact_links-{index}-contact"] = str(contact.pk)
        data[f"contact_links-{index}-ORDER"] = str(index + 1)
        data[f"contact_links-{index}-id"] = ""
        data[f"contact_links-{index}-DELETE"] = ""
    response = client.post(edit, data)
    assert response.status_code == 200
    assert (
        "Ce contact figure déjà ici : choisissez chaque contact une seule fois."
        in response.text
    )
    assert "Please correct the duplicate data" not in response.text
    assert release.revisions.count() == revisions


def test_unpublishing_keeps_the_newer_drafts_admin_title(home, trial, people):
    release = build_release(home, trial, title_fr="Ancien")
    release.title_fr = "Nouveau brouillon"
    release.save_revision(user=people["editor"])
    release = type(release).objects.get(pk=release.pk)
    release.unpublish(user=people["publisher"])
    assert type(release).objects.get(pk=release.pk).draft_title == "Nouveau brouillon"


def _menu_labels(html):
    """Every label of the admin's sidebar (JSON in the page)."""
    props = BeautifulSoup(html, "html.parser").select_one("#wagtail-sidebar-props")
    labels = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.append(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props.string))
    return labels


def test_the_help_menu_is_in_each_editors_language(home, make_user, client):
    """Wagtail words its "What's new" item once per process: whoever comes
    second still reads it in their language; its guide is spelt right."""
    labels = {}
    for language in ("fr", "en"):
        client.force_login(editor_in(make_user, language))
        labels[language] = _menu_labels(
            client.get(reverse("wagtailadmin_home")).content
        )
    version = get_main_version(include_patch=False)
    assert f"Ce qui est nouveau avec Wagtail {version}" in labels["fr"]
    assert "Guide du rédacteur" in labels["fr"]
    assert f"What's new in Wagtail {version}" in labels["en"]
    assert "Editor Guide" in labels["en"]


def test_each_page_type_names_its_title_in_the_editors_language(
    home, trial, make_user, client
):
    """A contact's title is their name, a trial's its acronym, a release's its
    headline: each language's box says so, with help of its own."""
    pages = {
        "contact": build_contact(home),
        "trial": trial,
        "release": build_release(home, trial, live=False),
    }
    expected = {
        "fr": {
            "contact": ("Nom [fr]", "Le nom de la personne"),
            "trial": ("Acronyme [en]", "Le nom court de l’essai"),
            "release": ("Titre [en]", "Tel que les lecteurs le voient"),
        },
        "en": {
            "contact": ("Name [en]", "The person's name"),
            "trial": ("Acronym [fr]", "The trial's short name"),
            "release": ("Headline [fr]", "As readers see it"),
        },
    }
    for language, wanted in expected.items():
        client.force_login(editor_in(make_user, language))
        for kind, (label, help_text) in wanted.items():
            url = reverse("wagtailadmin_pages:edit", args=(pages[kind].pk,))
            html = BeautifulSoup(client.get(url).content, "html.parser")
            box = html.select_one(f"#id_title_{label[-3:-1]}")
            shown = html.find("label", attrs={"for": box["id"]}).get_text(strip=True)
            assert shown.removesuffix("*") == label, (language, kind)
            described = html.select_one(f"#{box['aria-describedby']}")
            assert help_text in described.get_text(), (language, kind)
