"""Approved journalists read what they were given before the embargo, in
the press area, marked as embargoed; nobody else does, nothing outlives the
lift, and no journalist ever reaches the admin."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents import get_document_model

import pytest
import time_machine

from press.models import AccessLog, Journalist, PressAccess
from tests.factories import (
    JournalistFactory,
    build_position,
    build_release,
    build_trial,
    schedule,
    url_in,
)
from tests.support import press_sign_in

EMBARGO = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)


@pytest.fixture
def embargoed(home):
    """A scheduled release (with an attachment) and a scheduled statement."""
    trial = build_trial(home, registry_id="NCT05555555")
    release = build_release(
        home,
        trial,
        live=False,
        title_fr="Communiqué Quasar",
        title_en="Quasar release",
    )
    document = get_document_model().objects.create(
        title="Annexe Quasar", file=ContentFile(b"%PDF-1.4 quasar", name="q.pdf")
    )
    release.attachments.create(document=document)
    release.save_revision()
    release.save()
    schedule(release, EMBARGO)
    statement = build_position(
        home,
        trial,
        live=False,
        title_fr="Position Nébuleuse",
        title_en="Nebula statement",
    )
    schedule(statement, EMBARGO + datetime.timedelta(hours=1))
    return release, statement, document


def item_url(page, language="fr"):
    return f"/{language}/{'presse' if language == 'fr' else 'press'}/{page.pk}/"


def test_a_journalist_reads_every_embargoed_item_marked_and_in_both_languages(
    embargoed, client
):
    """An approved journalist given every item sees both, lists them with
    their lift in Paris time and UTC, and reads each as it will go live."""
    release, statement, _document = embargoed
    journalist = JournalistFactory()
    press_sign_in(client, journalist)

    index = client.get("/fr/presse/")
    html = index.text
    assert "Communiqué Quasar" in html and "Position Nébuleuse" in html
    lift = timezone.localtime(EMBARGO)
    assert f"{lift:%H:%M} (Paris, UTC+" in html and " UTC" in html
    assert "no-store" in index["Cache-Control"]

    page = client.get(item_url(release))
    assert page.status_code == 200
    assert "Communiqué Quasar" in page.text
    assert "SOUS EMBARGO JUSQU’AU" in page.text
    assert '<meta name="robots" content="noindex, nofollow">' in page.text
    assert f'href="{item_url(release, "en")}"' in page.text  # language switch
    english = client.get(item_url(release, "en"))
    assert "Quasar release" in english.text and "EMBARGOED UNTIL" in english.text
    assert "Nothing of this item may be published" in english.text or (
        "may be published, broadcast" in english.text
    )


def test_a_per_release_grant_opens_that_item_only(embargoed, client):
    release, statement, _document = embargoed
    journalist = JournalistFactory(all_embargoed=False)
    PressAccess.objects.create(journalist=journalist, page=release)
    press_sign_in(client, journalist)
    html = client.get("/en/press/").text
    assert "Quasar release" in html and "Nebula" not in html
    assert client.get(item_url(release)).status_code == 200
    assert client.get(item_url(statement)).status_code == 404


def test_revoking_closes_the_area_at_once(embargoed, client):
    """Removing a grant, or revoking the account, works on the next click."""
    release, _statement, _document = embargoed
    journalist = JournalistFactory(all_embargoed=False)
    grant = PressAccess.objects.create(journalist=journalist, page=release)
    press_sign_in(client, journalist)
    assert client.get(item_url(release)).status_code == 200
    grant.delete()
    assert client.get(item_url(release)).status_code == 404

    journalist.all_embargoed = True
    journalist.save()
    assert client.get(item_url(release)).status_code == 200
    journalist.status = Journalist.Status.REVOKED
    journalist.save()
    response = client.get(item_url(release))
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/presse/connexion/")


@pytest.mark.parametrize("status", ["PENDING", "REFUSED", "REVOKED"])
def test_an_account_not_approved_cannot_sign_in(embargoed, client, status):
    release, _statement, _document = embargoed
    journalist = JournalistFactory(status=Journalist.Status[status])
    response = client.post(
        "/fr/presse/connexion/",
        {"password-email": journalist.email, "password-password": "pw"},
    )
    assert response.status_code == 200
    assert "ne correspondent à aucun compte approuvé" in response.text
    page = client.get(item_url(release))
    assert page.status_code == 302 and "Quasar" not in page.text


def test_nobody_signed_in_is_sent_to_sign_in(embargoed, client):
    release, _statement, _document = embargoed
    response = client.get(item_url(release, "en"))
    assert response.status_code == 302
    assert response["Location"] == f"/en/press/sign-in/?next={item_url(release, 'en')}"
    assert client.get("/en/press/").status_code == 302


def test_at_the_lift_the_item_leaves_the_area_for_the_public_page(embargoed, client):
    from io import StringIO

    from django.core.management import call_command

    release, _statement, _document = embargoed
    journalist = JournalistFactory()
    press_sign_in(client, journalist)
    with time_machine.travel(EMBARGO + datetime.timedelta(seconds=5), tick=False):
        # Until the scheduler runs the item is not public: the area still
        # shows it, as a journalist's link does.
        assert client.get(item_url(release)).status_code == 200
        assert "Quasar" in client.get("/fr/presse/").text
        call_command("publish_scheduled", stdout=StringIO())
        response = client.get(item_url(release, "en"))
        assert response.status_code == 302
        assert response["Location"] == url_in(release, "en")
        assert "Quasar" not in client.get("/fr/presse/").text
    # The reading before the scheduler's run is logged; the public page not.
    assert AccessLog.objects.get().page_id == release.pk


def test_attachments_open_through_the_area_only(embargoed, client):
    release, _statement, document = embargoed
    other = get_document_model().objects.create(
        title="Autre", file=ContentFile(b"%PDF-1.4 other", name="other.pdf")
    )
    journalist = JournalistFactory()
    press_sign_in(client, journalist)
    url = f"/fr/presse/{release.pk}/documents/{document.pk}/"
    assert f'href="{url}"' in client.get(item_url(release)).text
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 quasar"
    assert client.get(document.url).status_code == 404
    assert (
        client.get(f"/fr/presse/{release.pk}/documents/{other.pk}/").status_code == 404
    )


def test_the_area_offers_each_releases_press_kit_embargoed_until_the_lift(
    embargoed, client
):
    """The press area links each release's kit (not a statement's): the
    approved text, marked as embargoed; after the lift, the public kit."""
    import io
    import zipfile

    from django.core.management import call_command

    release, statement, _document = embargoed
    press_sign_in(client, JournalistFactory())
    kit = f"/fr/presse/{release.pk}/press-kit.zip"
    assert f'href="{kit}"' in client.get("/fr/presse/").text
    assert f'href="{kit}"' in client.get(item_url(release)).text
    assert "press-kit" not in client.get(item_url(statement)).text
    assert client.get(f"/fr/presse/{statement.pk}/press-kit.zip").status_code == 404

    response = client.get(kit)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert any(name.endswith(".pdf") for name in archive.namelist())

    with time_machine.travel(EMBARGO + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled", stdout=io.StringIO())
        response = client.get(kit)
    assert response.status_code == 302
    assert response["Location"] == f"/fr/dossier-de-presse/{release.pk}.zip"


def test_after_the_lift_an_attachment_link_from_the_area_opens_the_public_file(
    embargoed, client
):
    from io import StringIO

    from django.core.management import call_command

    release, _statement, document = embargoed
    press_sign_in(client, JournalistFactory())
    url = f"/fr/presse/{release.pk}/documents/{document.pk}/"
    with time_machine.travel(EMBARGO + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled", stdout=StringIO())
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == document.url
        public = client.get(document.url)
        assert public.status_code == 200
        assert b"".join(public.streaming_content) == b"%PDF-1.4 quasar"


def test_a_journalist_never_reaches_the_admin(embargoed, client):
    """Journalists are not users: signed in to the press area, the admin
    still asks for a login, and their password opens nothing there."""
    journalist = JournalistFactory()
    press_sign_in(client, journalist)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    login = client.post(
        "/admin/login/", {"username": journalist.email, "password": "pw"}
    )
    assert login.status_code == 200  # the form again, with its error
    assert client.get("/admin/").status_code == 302


def test_a_changed_password_signs_other_sessions_out(embargoed, client):
    release, _statement, _document = embargoed
    journalist = JournalistFactory()
    press_sign_in(client, journalist)
    journalist.set_password("another-Password-42")
    journalist.save()
    assert client.get(item_url(release)).status_code == 302


def test_wrong_passwords_lock_the_password_out_not_the_link(db, client, mailoutbox):
    """After the admin's limit of wrong passwords, even the right one is
    refused for a while; a sign-in link by e-mail still works."""
    journalist = JournalistFactory(language="en")
    for _attempt in range(5):
        client.post(
            "/en/press/sign-in/",
            {"password-email": journalist.email, "password-password": "wrong"},
        )
    response = client.post(
        "/en/press/sign-in/",
        {"password-email": journalist.email, "password-password": "pw"},
    )
    assert response.status_code == 200 and "Too many wrong passwords" in response.text
    client.post("/en/press/sign-in/", {"link-email": journalist.email})
    assert len(mailoutbox) == 1
    with time_machine.travel(datetime.timedelta(minutes=31)):
        press_sign_in(client, journalist)
