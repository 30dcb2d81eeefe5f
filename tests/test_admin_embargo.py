"""The embargo in the editors' words: for releases and statements the admin
calls Wagtail's schedule the embargo (dialog, status panel, listings, the
last reviewer's button and its confirmation, review e-mails), gives its time
in Paris time with the zone and in UTC (autosave and the dialog:
``test_browser_embargo_admin.py``)."""

import datetime
import re

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from bs4 import BeautifulSoup

from announcements.models import PressRelease, ReleaseIndexPage
from tests.factories import build_position, build_release

# 10:00 in Paris (summer time, UTC+2).
EMBARGO = datetime.datetime(2030, 6, 15, 8, 0, tzinfo=datetime.UTC)
PARIS_FR = "15 juin 2030, 10:00 (Paris)"
FULL_FR = "15 juin 2030, 10:00 (Paris, UTC+2), soit 08:00 UTC"
BASE_URL = "https://presse.example.org"


def in_review(home, trial, editor, embargo=EMBARGO, **kwargs):
    release = build_release(home, trial, live=False, title_fr="Résultats", **kwargs)
    release.go_live_at = embargo
    release.save_revision(user=editor)
    release.get_workflow().start(release, editor)
    return release


def approve_from_dashboard(client, release, reviewer):
    client.force_login(reviewer)
    state = WorkflowState.objects.get(object_id=str(release.pk))
    action = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(release.pk, "approve", state.current_task_state.pk),
    )
    assert client.post(action, {"comment": ""}).status_code == 302


def edit_page(client, release):
    return BeautifulSoup(
        client.get(reverse("wagtailadmin_pages:edit", args=(release.pk,))).text,
        "html.parser",
    )


def footer_buttons(html):
    return [
        " ".join(button.get_text().split())
        for button in html.select("footer button[data-workflow-action-name]")
    ]


def text_of(element):
    # The dialog sits in a <template>: BeautifulSoup keeps its markup, not
    # its text.
    return " ".join(re.sub(r"<[^>]+>", " ", str(element)).split())


def test_the_schedule_dialog_is_the_embargo_dialog(home, trial, people, client):
    release = build_release(home, trial, live=False)
    client.force_login(people["editor"])
    html = edit_page(client, release)
    dialog = html.find(id="schedule-publishing-dialog")  # inside a <template>
    text = text_of(dialog)
    assert "Définir l’embargo" in text
    assert "Embargo (heure de Paris)" in text
    assert "Enregistrer l’embargo" in text
    assert "programmation" not in text.lower()
    status = " ".join(html.select_one("[data-embargo-status]").get_text().split())
    assert "Pas d’embargo : public dès l’approbation de la relecture" in status
    assert "Définir l’embargo" in status


def test_other_pages_keep_wagtails_schedule(home, trial, people, client):
    """Trial records have no embargo: Wagtail's own words stay."""
    client.force_login(people["publisher"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=(trial.pk,))).text
    assert "Aucune programmation de publication" in html
    assert "Définir l’embargo" not in html


def test_the_status_panel_gives_the_embargo_in_paris_time_and_utc(
    home, trial, people, client
):
    release = in_review(home, trial, people["editor"])
    client.force_login(people["medical"])
    status = edit_page(client, release).select_one("[data-embargo-status]")
    text = " ".join(status.get_text().split())
    assert f"Embargo : {FULL_FR}" in text
    assert "Prend effet à l’approbation de la relecture" in text


def test_listings_say_embargoed_until_when(home, trial, people, client):
    release = in_review(home, trial, people["editor"])
    approve_from_dashboard(client, release, people["medical"])
    approve_from_dashboard(client, release, people["communications"])
    index = ReleaseIndexPage.objects.get()
    client.force_login(people["editor"])
    html = client.get(reverse("wagtailadmin_explore", args=(index.pk,))).text
    assert f"sous embargo jusqu’au {PARIS_FR}" in html


def test_the_last_reviewer_is_told_the_approval_schedules_and_when(
    home, trial, people, client
):
    release = in_review(home, trial, people["editor"])
    client.force_login(people["medical"])
    assert footer_buttons(edit_page(client, release))[1:] == [
        "Approuver",
        "Approuver avec un commentaire",
    ]
    approve_from_dashboard(client, release, people["medical"])
    client.force_login(people["communications"])
    assert footer_buttons(edit_page(client, release))[1:] == [
        f"Approuver et programmer pour le {PARIS_FR}",
        f"Approuver avec un commentaire et programmer pour le {PARIS_FR}",
    ]


def test_in_english_too(home, trial, people, client):
    release = in_review(home, trial, people["editor"])
    approve_from_dashboard(client, release, people["medical"])
    reviewer = people["communications"]
    reviewer.wagtail_userprofile.preferred_language = "en"
    reviewer.wagtail_userprofile.save()
    client.force_login(reviewer)
    html = edit_page(client, release)
    assert (
        footer_buttons(html)[1]
        == "Approve and schedule for 15 June 2030, 10:00 (Paris)"
    )
    assert "Embargo: 15 June 2030, 10:00 (Paris, UTC+2), that is 08:00 UTC" in " ".join(
        html.select_one("[data-embargo-status]").get_text().split()
    )


def test_without_an_embargo_the_last_approval_says_it_publishes(
    home, trial, people, client
):
    release = in_review(home, trial, people["editor"], embargo=None)
    approve_from_dashboard(client, release, people["medical"])
    client.force_login(people["communications"])
    assert footer_buttons(edit_page(client, release))[1] == "Approuver et publier"


def test_statements_have_the_embargo_words_too(home, trial, people, client):
    statement = build_position(home, trial, live=False)
    statement.go_live_at = EMBARGO
    statement.save_revision(user=people["editor"])
    client.force_login(people["editor"])
    html = edit_page(client, statement)
    dialog = html.find(id="schedule-publishing-dialog")
    assert "Embargo (heure de Paris)" in text_of(dialog)
    assert FULL_FR in html.select_one("[data-embargo-status]").get_text()


def test_the_approval_is_confirmed_with_the_embargo(home, trial, people, client):
    """Approving from the edit page says "approved and scheduled for …",
    not only that the page was updated."""
    # Text as the editor stores it (block keys), so that the reviewer's form
    # changes nothing: an edit would send the release back to medical review.
    release = in_review(
        home,
        trial,
        people["editor"],
        body_fr='<p data-block-key="fr1">Corps.</p>',
        body_en='<p data-block-key="en1">Body.</p>',
    )
    approve_from_dashboard(client, release, people["medical"])
    client.force_login(people["communications"])
    edit = reverse("wagtailadmin_pages:edit", args=(release.pk,))
    data = querydict_from_html(client.get(edit).text, form_id="page-edit-form")
    data.update({"requires_fr": "on", "requires_en": "on"})
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    response = client.post(edit, data, follow=True)
    assert PressRelease.objects.get(pk=release.pk).scheduled_revision is not None
    messages = " ".join(
        " ".join(message.get_text().split())
        for message in BeautifulSoup(response.content, "html.parser").select(
            ".messages li"
        )
    )
    assert f"« Résultats » approuvé et programmé pour le {FULL_FR}." in messages
    assert "Rien n’en est public d’ici là." in messages
    assert "mise à jour" not in messages


def test_a_publisher_schedules_with_the_time_on_the_button(home, trial, people, client):
    release = build_release(home, trial, live=False)
    release.go_live_at = EMBARGO
    release.save_revision()
    client.force_login(people["publisher"])
    html = edit_page(client, release)
    publish = html.select_one('footer button[name="action-publish"]')
    assert " ".join(publish.get_text().split()) == f"Programmer pour le {PARIS_FR}"


@override_settings(WAGTAILADMIN_BASE_URL=BASE_URL)
def test_review_emails_give_the_embargo_and_the_admin_link(home, trial, people, client):
    """Reviewers are told the embargo asked for; the editor is told the
    approval scheduled it, with a link to the admin page on the configured
    address, never to the public page that is a 404 until the embargo."""
    release = in_review(home, trial, people["editor"])
    submitted = [m for m in mail.outbox if people["medical"].email in m.to]
    assert submitted, "the medical reviewers are told"
    assert f"Embargo : {FULL_FR}." in submitted[0].body

    mail.outbox.clear()
    approve_from_dashboard(client, release, people["medical"])
    approve_from_dashboard(client, release, people["communications"])
    approved = [m for m in mail.outbox if m.to == [people["editor"].email]]
    assert len(approved) == 1
    message = approved[0]
    assert f"programmé pour le {PARIS_FR}" in message.subject
    assert f"Embargo : programmé pour le {FULL_FR}." in message.body
    assert f"{BASE_URL}/admin/pages/{release.pk}/edit/" in message.body
    links = re.findall(r"https?://\S+", message.body)
    assert all(link.startswith(BASE_URL + "/admin/") for link in links), links
    assert "localhost" not in message.body


def test_a_trials_approval_says_it_is_published(home, trial, people, client):
    """A trial record's last approval says what it did, as a release's does,
    not only "mise à jour"; its summary, stored without the editor's block
    keys (as the seed and the registry import store text), is not a change
    that would send it back to medical review."""
    trial.save_revision(user=people["editor"])
    trial.get_workflow().start(trial, people["editor"])
    approve_from_dashboard(client, trial, people["medical"])
    client.force_login(people["communications"])
    assert footer_buttons(edit_page(client, trial))[1] == "Approuver et publier"
    edit = reverse("wagtailadmin_pages:edit", args=(trial.pk,))
    data = querydict_from_html(client.get(edit).text, form_id="page-edit-form")
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    response = client.post(edit, data, follow=True)
    messages = " ".join(
        " ".join(message.get_text().split())
        for message in BeautifulSoup(response.content, "html.parser").select(
            ".messages li"
        )
    )
    assert "« MIROCALS » approuvé et publié." in messages, messages
    assert "mise à jour" not in messages
