"""Journalists ask for a press account, the press office decides in the
admin, and the journalist hears of it by e-mail, in their language, with a
sign-in link that works once and expires."""

import datetime
import re

from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest
import time_machine

from press.models import AccessLog, EmbargoPreviewLink, Journalist
from tests.factories import (
    JournalistFactory,
    build_release,
    build_trial,
    schedule,
)
from tests.support import run_worker

EMBARGO = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
ADMIN = "/admin/journalists/"


def register(client, site="en", **data):
    path = "/en/press/register/" if site == "en" else "/fr/presse/inscription/"
    fields = {
        "name": "Ada Reporter",
        "outlet": "Science Daily",
        "email": "Ada@Science.example",
        "language": "en",
        "password": "",
        **data,
    }
    return client.post(path, fields)


def link_in(message):
    return re.search(r"https?://\S+/(?:sign-in|connexion)/\S+/", message.body)[0]


@pytest.fixture
def reviewer(make_user, client):
    user = make_user("claire", "Communications reviewers")
    client.force_login(user)
    return user


def test_registration_is_pending_until_the_press_office_decides(
    db, client, make_user, mailoutbox, committed
):
    """A journalist's request waits for review, and communications reviewers
    are told (by the worker: the journalist does not wait for the mail
    server); asking twice, or for an address already known, says the same
    and creates nothing more."""
    make_user("claire", "Communications reviewers")
    make_user("edith", "Editors")
    page = client.get("/fr/presse/inscription/")
    assert "Média" in page.text or "média" in page.text
    with committed():
        response = register(client)
    assert response.status_code == 200 and "Request received" in response.text
    journalist = Journalist.objects.get()
    assert journalist.email == "ada@science.example"
    assert journalist.status == Journalist.Status.PENDING
    with committed():
        again = register(client, site="fr", name="Someone else")
    assert "Demande reçue" in again.text
    assert Journalist.objects.count() == 1
    assert mailoutbox == []
    run_worker()
    (notice,) = mailoutbox
    assert notice.to == ["claire@example.org"]
    assert notice.subject == (
        "Demande de compte presse : Ada Reporter (Science Daily) / "
        "Press account requested: Ada Reporter (Science Daily)"
    )
    assert "/admin/journalists/" in notice.body


def test_a_weak_password_is_refused_at_registration(db, client):
    response = register(client, password="123")
    assert response.status_code == 200
    assert not Journalist.objects.exists()


def test_the_review_queue_lists_pending_requests_first(db, client, reviewer):
    JournalistFactory(name="Already Approved")
    JournalistFactory(name="Waiting Reporter", status=Journalist.Status.PENDING)
    html = client.get(ADMIN).text
    assert html.index("Waiting Reporter") < html.index("Already Approved")
    assert "Approve" in html and "Refuse" in html


def test_approval_mails_a_sign_in_link_that_works_once(
    db, client, reviewer, mailoutbox
):
    register(client, site="fr", language="fr")
    journalist = Journalist.objects.get()
    confirm = client.get(f"{ADMIN}approve/{journalist.pk}/")
    assert confirm.status_code == 200 and "ada@science.example" in confirm.text
    response = client.post(f"{ADMIN}approve/{journalist.pk}/")
    assert response.status_code == 302
    journalist.refresh_from_db()
    assert journalist.status == Journalist.Status.APPROVED
    assert journalist.reviewed_by == reviewer
    (message,) = mailoutbox  # the reviewer's notice goes through the worker
    assert message.to == ["ada@science.example"]
    assert message.subject == "Votre compte presse est approuvé"
    assert "Ce que signifie l’embargo" in message.body
    link = link_in(message)
    assert "/fr/presse/connexion/" in link

    client.logout()
    path = link.split("testserver", 1)[1]
    assert "Se connecter" in client.get(path).text  # a button, not yet used
    signed_in = client.post(path)
    assert signed_in["Location"] == "/fr/presse/"
    assert client.get("/fr/presse/").status_code == 200
    client.post("/fr/presse/deconnexion/")
    assert client.get("/fr/presse/").status_code == 302
    assert client.post(path).status_code == 410  # used once already


def test_a_sign_in_link_expires(db, client, mailoutbox):
    journalist = JournalistFactory(language="en")
    client.post("/en/press/sign-in/", {"link-email": journalist.email.upper()})
    (message,) = mailoutbox
    assert message.subject == "Your sign-in link to the press area"
    path = link_in(message).split("testserver", 1)[1]
    with time_machine.travel(datetime.timedelta(minutes=31)):
        assert client.post(path).status_code == 410
    assert client.get("/en/press/").status_code == 302


def test_asking_a_link_for_an_unknown_or_refused_address_tells_nothing(
    db, client, mailoutbox
):
    refused = JournalistFactory(status=Journalist.Status.REFUSED)
    for email in (refused.email, "nobody@example.org"):
        response = client.post("/en/press/sign-in/", {"link-email": email})
        assert "If an approved account uses this address" in response.text
    assert mailoutbox == []


def test_refusing_and_revoking_are_mailed(db, client, reviewer, mailoutbox):
    pending = JournalistFactory(status=Journalist.Status.PENDING, language="en")
    client.post(f"{ADMIN}refuse/{pending.pk}/")
    pending.refresh_from_db()
    assert pending.status == Journalist.Status.REFUSED
    approved = JournalistFactory(language="fr")
    client.post(f"{ADMIN}revoke/{approved.pk}/")
    approved.refresh_from_db()
    assert approved.status == Journalist.Status.REVOKED
    assert [m.subject for m in mailoutbox] == [
        "Your press account request",
        "Votre accès à l’espace presse a pris fin",
    ]


@pytest.mark.parametrize("group", ["Editors", "Medical reviewers"])
def test_only_the_press_office_manages_journalists(db, client, make_user, group):
    journalist = JournalistFactory(status=Journalist.Status.PENDING)
    client.force_login(make_user("someone", group))
    assert client.get(ADMIN).status_code in (302, 403)
    client.post(f"{ADMIN}approve/{journalist.pk}/")
    journalist.refresh_from_db()
    assert journalist.status == Journalist.Status.PENDING


def test_publishers_manage_journalists_too(db, client, make_user):
    journalist = JournalistFactory(status=Journalist.Status.PENDING)
    client.force_login(make_user("paul", "Publishers"))
    assert client.get(ADMIN).status_code == 200
    client.post(f"{ADMIN}approve/{journalist.pk}/")
    journalist.refresh_from_db()
    assert journalist.is_approved


class TestAccessLog:
    """Each early reading, by account or secret link, is in the log that
    communications reviewers read per release; nobody edits it."""

    @pytest.fixture
    def releases(self, home):
        trial = build_trial(home, registry_id="NCT04444444")
        return [
            schedule(
                build_release(home, trial, live=False, title_en=title, title_fr=title),
                EMBARGO,
            )
            for title in ("Aurora release", "Borealis release")
        ]

    def test_account_and_link_readings_are_logged(self, releases, client, make_user):
        aurora, borealis = releases
        journalist = JournalistFactory(name="Ada Reporter", outlet="Science Daily")
        client.post(
            "/en/press/sign-in/",
            {"password-email": journalist.email, "password-password": "pw"},
        )
        client.get(f"/en/press/{aurora.pk}/", REMOTE_ADDR="192.0.2.7")
        link = EmbargoPreviewLink(page=borealis, label="Health desk, Le Monde")
        link.full_clean()
        link.save()
        client.get(link.url_in("fr"), REMOTE_ADDR="192.0.2.8")

        by_account, by_link = AccessLog.objects.order_by("viewed_at", "pk")
        assert (by_account.page_id, by_account.via) == (aurora.pk, "account")
        assert by_account.who == "Ada Reporter (Science Daily)"
        assert by_account.journalist == journalist
        assert (by_account.language, by_account.ip_address) == ("en", "192.0.2.7")
        assert (by_link.page_id, by_link.via, by_link.link) == (
            borealis.pk,
            "link",
            link,
        )
        assert by_link.who == "Health desk, Le Monde"

        client.force_login(make_user("claire", "Communications reviewers"))
        listing = client.get("/admin/embargoed_readings/", {"page": aurora.pk})
        assert listing.status_code == 200
        assert "Ada Reporter" in listing.text
        assert "Health desk" not in listing.text
        everything = client.get("/admin/embargoed_readings/").text
        assert "Health desk" in everything and "192.0.2.8" in everything
        export = client.get(
            "/admin/embargoed_readings/", {"page": aurora.pk, "export": "csv"}
        )
        csv = b"".join(export.streaming_content).decode()
        assert "Ada Reporter (Science Daily)" in csv and "Health desk" not in csv
        assert client.get("/admin/embargoed_readings/new/").status_code in (302, 403)
        edit = f"/admin/embargoed_readings/edit/{by_link.pk}/"
        assert client.get(edit).status_code in (302, 403)

    def test_editors_do_not_see_the_log(self, db, client, make_user):
        client.force_login(make_user("edith", "Editors"))
        assert client.get("/admin/embargoed_readings/").status_code in (302, 403)


def test_the_press_office_opens_one_release_to_a_journalist(home, client, reviewer):
    """In the journalist's form, a reviewer picks the items to open."""
    trial = build_trial(home, registry_id="NCT04444445")
    release = schedule(build_release(home, trial, live=False), EMBARGO)
    journalist = JournalistFactory(all_embargoed=False)
    edit = f"{ADMIN}edit/{journalist.pk}/"
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        nested_form_data(
            {
                "name": journalist.name,
                "outlet": journalist.outlet,
                "email": journalist.email,
                "language": "fr",
                "all_embargoed": "",
                "grants": inline_formset([{"page": release.pk}]),
            }
        ),
    )
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["form"].formsets["grants"].errors,
    )
    assert journalist.readable_items() == {release.pk: EMBARGO}


def test_the_sign_in_email_gives_each_lift_in_paris_time_and_utc(
    home, client, mailoutbox
):
    """The e-mail says what the embargo means and when each item it opens
    lifts; it names the approved text, not a later draft."""
    trial = build_trial(home, registry_id="NCT04444446")
    release = schedule(
        build_release(home, trial, live=False, title_en="Approved headline"),
        datetime.datetime(2030, 6, 15, 8, 0, tzinfo=datetime.UTC),
    )
    release.title_en = "Unreviewed headline"
    release.save_revision()
    journalist = JournalistFactory(language="en")
    client.post("/en/press/sign-in/", {"link-email": journalist.email})
    (message,) = mailoutbox
    assert "What the embargo means" in message.body
    assert "- Approved headline\n" in message.body
    assert "Embargo lifts on 15 June 2030, 10:00 (Paris, UTC+2), that is 08:00 UTC" in (
        message.body
    )
    assert "Unreviewed" not in message.body
