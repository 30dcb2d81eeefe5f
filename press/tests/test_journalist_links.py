"""Journalists' links that the press office can trust: the right people
create and revoke them, they follow the release through its lift, and a
contact is named once on a release."""

import datetime
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from wagtail.test.utils.form_data import querydict_from_html

import pytest
import time_machine

from announcements.models import PressRelease
from press.models import EmbargoPreviewLink
from tests.factories import build_contact, build_release, url_in
from tests.test_embargo import EMBARGO, WORD, Embargoed


@pytest.fixture
def scheduled(home, make_user):
    return Embargoed(home, make_user, "scheduled")


ADD = reverse("embargo_links:add")


def create_link(client, user, page, label="Desk santé, Le Monde"):
    client.force_login(user)
    return client.post(ADD, {"page": page.pk, "label": label, "expires_at": ""})


def edit_link(client, user, link, **changes):
    client.force_login(user)
    url = reverse("embargo_links:edit", args=(link.pk,))
    form = client.get(url)
    if form.status_code != 200:
        return client.post(url, {"page": link.page_id, **changes})
    data = querydict_from_html(form.text, form_id="w-editor-form")
    data.update(changes)
    return client.post(url, data)


@pytest.mark.parametrize("group", ["communications", "publisher"])
def test_reviewers_and_publishers_create_links_that_work_at_once(
    scheduled, people, client, group
):
    response = create_link(client, people[group], scheduled.release)
    assert response.status_code == 302
    link = EmbargoPreviewLink.objects.get()
    assert link.granted_by == people[group] and link.created_by == people[group]
    client.logout()
    html = client.get(link.url_in("fr")).content.decode()
    assert f"Communiqué {WORD}" in html and "SOUS EMBARGO" in html


def test_an_editor_requests_a_link_that_works_once_granted(scheduled, people, client):
    response = create_link(client, people["editor"], scheduled.release)
    assert response.status_code == 302
    link = EmbargoPreviewLink.objects.get()
    assert link.granted_at is None
    messages = client.get(reverse("embargo_links:index")).content.decode()
    assert "Requested" in messages or "Demandé" in messages
    client.logout()
    assert client.get(link.url_in("en")).status_code == 404
    # An editor cannot grant it, even by posting the field.
    edited = edit_link(client, people["editor"], link, grant="on")
    assert edited.status_code in (302, 403)
    link.refresh_from_db()
    assert link.granted_at is None

    assert edit_link(client, people["communications"], link, grant="on").status_code
    link.refresh_from_db()
    assert link.granted_by == people["communications"]
    client.logout()
    assert f"Release {WORD}" in client.get(link.url_in("en")).content.decode()


def test_a_medical_reviewer_neither_creates_nor_sees_links(scheduled, people, client):
    response = create_link(client, people["medical"], scheduled.release)
    assert response.status_code in (302, 403)
    assert not EmbargoPreviewLink.objects.exists()
    assert client.get(reverse("embargo_links:index")).status_code in (302, 403)


def test_a_communications_reviewer_revokes_a_link(scheduled, people, client):
    create_link(client, people["communications"], scheduled.release)
    link = EmbargoPreviewLink.objects.get()
    response = edit_link(client, people["communications"], link, revoke="on")
    assert response.status_code == 302
    client.logout()
    response = client.get(link.url_in("en"))
    assert response.status_code == 404 and WORD not in response.content.decode()


class TestAtTheLift:
    """From the embargo time to the scheduler's run the link still shows the
    release; once it is live the link leads to its public page."""

    def test_the_link_follows_the_release_through_its_lift(self, scheduled, client):
        link = EmbargoPreviewLink(page=scheduled.release, label="Desk")
        link.full_clean()
        link.save()
        assert link.expires_at is None  # until the lift
        after = EMBARGO + datetime.timedelta(seconds=20)
        with time_machine.travel(after, tick=False):
            waiting = client.get(link.url_in("en"))
            assert waiting.status_code == 200
            assert f"Release {WORD}" in waiting.content.decode()
            call_command("publish_scheduled", stdout=StringIO())
            release = PressRelease.objects.get(pk=scheduled.release.pk)
            for language in ("fr", "en"):
                response = client.get(link.url_in(language))
                assert response.status_code == 302
                assert response["Location"] == url_in(release, language)
                assert client.get(response["Location"]).status_code == 200
            attachment = f"/fr/embargo/{link.token}/documents/{scheduled.document.pk}/"
            moved = client.get(attachment)
            assert moved.status_code == 302
            assert moved["Location"] == scheduled.document.url

    def test_a_link_follows_a_postponed_embargo(self, scheduled, client):
        link = EmbargoPreviewLink(page=scheduled.release, label="Desk")
        link.full_clean()
        link.save()
        release = PressRelease.objects.get(pk=scheduled.release.pk)
        later = EMBARGO + datetime.timedelta(days=1)
        revision = release.scheduled_revision
        revision.approved_go_live_at = later
        revision.save()
        with time_machine.travel(EMBARGO + datetime.timedelta(hours=2), tick=False):
            call_command("publish_scheduled", stdout=StringIO())
            assert client.get(link.url_in("en")).status_code == 200

    def test_a_link_given_an_earlier_expiry_stops_then(self, scheduled, client):
        expiry = EMBARGO - datetime.timedelta(hours=1)
        link = EmbargoPreviewLink(page=scheduled.release, expires_at=expiry)
        link.full_clean()
        link.save()
        assert client.get(link.url_in("en")).status_code == 200
        with time_machine.travel(expiry + datetime.timedelta(seconds=1), tick=False):
            assert client.get(link.url_in("en")).status_code == 404


class TestOneContactOnce:
    def test_the_admin_refuses_a_contact_named_twice(self, home, trial, people, client):
        contact = build_contact(home, title_fr="Camille Martin")
        release = build_release(home, trial, live=False)
        client.force_login(people["editor"])
        url = reverse("wagtailadmin_pages:edit", args=(release.pk,))
        data = querydict_from_html(client.get(url).text, form_id="page-edit-form")
        data["contact_links-TOTAL_FORMS"] = "2"
        for index in range(2):
            data[f"contact_links-{index}-contact"] = str(contact.pk)
            data[f"contact_links-{index}-id"] = ""
            data[f"contact_links-{index}-ORDER"] = str(index + 1)
        response = client.post(url, data)
        assert response.status_code == 200  # the form again, with the error
        # Django's own message for the duplicated row, in the editor's language.
        assert "Corrigez les valeurs en double" in response.content.decode()
        assert not PressRelease.objects.get(pk=release.pk).contact_links.exists()

    def test_no_door_stores_a_contact_twice(self, home, trial):
        contact = build_contact(home)
        release = build_release(home, trial, live=False)
        release.contact_links.create(contact=contact)
        release.contact_links.create(contact=contact)
        with pytest.raises(ValidationError):
            release.full_clean()
