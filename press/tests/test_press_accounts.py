"""Journalists ask for a press account, the press office decides in the
admin, and the journalist hears of it by e-mail, in their language, with a
sign-in link that works once and expires."""

import datetime
import re

from django.conf import settings
from django.test import Client
from django.utils import timezone

from wagtail.models import Page, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest
import time_machine
from bs4 import BeautifulSoup

from press.models import AccessLog, EmbargoPreviewLink, Journalist
from tests.factories import (
    JournalistFactory,
    build_release,
    build_trial,
    schedule,
)
from tests.support import press_sign_in, run_worker

EMBARGO = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
ADMIN = "/admin/journalists/"


def register(client, site="en", **data):
    path = "/en/press/register/" if site == "en" else "/fr/presse/inscription/"
    fields = {
        "name": "Ada Reporter",
        "outlet": "Science Daily",
        "email": "Ada@Science.example",
        "language": "en",
        **data,
    }
    return client.post(path, fields)


def link_in(message):
    return re.search(r"https?://\S+/(?:sign-in|connexion)/\S+/", message.body)[0]


def path_of(link):
    """The path of a link sent to a journalist of the first newsroom, which
    is at its address."""
    base = settings.WAGTAILADMIN_BASE_URL
    assert link.startswith(base + "/"), link
    return link[len(base) :]


def path_in(message):
    """The address of the one link in ``message``, on this site."""
    return path_of(re.search(r"https?://\S+", message.body)[0])


def confirmed(client, mailoutbox, site="en", **data):
    """Registers, then confirms the address as its owner does: the link in
    the message, then the button."""
    register(client, site, **data)
    path = path_in(mailoutbox[-1])
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 200
    return response


@pytest.fixture
def reviewer(make_user, client):
    user = make_user("claire", "Communications reviewers")
    client.force_login(user)
    return user


def test_a_request_reaches_the_press_office_once_the_address_confirms_it(
    db, client, make_user, mailoutbox, committed
):
    """Registering mails the address a link; nothing exists and the press
    office hears of nothing until its owner presses the button; the link
    then works no more."""
    make_user("claire", "Communications reviewers")
    make_user("edith", "Editors")
    page = client.get("/fr/presse/inscription/")
    assert "Média" in page.text or "média" in page.text
    assert 'type="password"' not in page.text
    response = register(client, site="fr", language="fr")
    assert response.status_code == 200
    assert "Consultez votre messagerie" in response.text
    assert not Journalist.objects.exists()
    (confirmation,) = mailoutbox
    assert confirmation.to == ["ada@science.example"]
    assert confirmation.subject == "Confirmez votre adresse pour l’espace presse"
    path = path_in(confirmation)
    assert path.startswith("/fr/presse/inscription/")
    button = client.get(path)  # a mail scanner opening the link
    assert "Confirmer mon adresse" in button.text
    assert not Journalist.objects.exists() and len(mailoutbox) == 1

    with committed():
        assert "Adresse confirmée" in client.post(path).text
    journalist = Journalist.objects.get()
    assert (journalist.email, journalist.name) == (
        "ada@science.example",
        "Ada Reporter",
    )
    assert journalist.status == Journalist.Status.PENDING
    assert journalist.email_confirmed_at is not None
    # Told by the worker: the journalist does not wait for the mail server.
    assert len(mailoutbox) == 1
    run_worker()
    notice = mailoutbox[-1]
    assert notice.to == ["claire@example.org"]
    assert notice.subject == (
        "Demande de compte presse : Ada Reporter (Science Daily) / "
        "Press account requested: Ada Reporter (Science Daily)"
    )
    assert "/admin/journalists/" in notice.body
    assert client.post(path).status_code == 410  # once
    assert Journalist.objects.count() == 1 and len(mailoutbox) == 2


def test_an_impostor_gets_no_account_in_someone_elses_name(
    db, client, reviewer, mailoutbox
):
    """Registering with Jane's address, with a password of one's own, gives
    nothing: the password is not taken, the link goes to Jane's inbox, and
    there is nothing for the press office to approve."""
    register(client, email="jane@paper.example", password="Impostor-Secret-99")
    assert not Journalist.objects.exists()
    (message,) = mailoutbox
    assert message.to == ["jane@paper.example"]
    assert "Impostor" not in message.body
    response = client.post(
        "/en/press/sign-in/",
        {
            "password-email": "jane@paper.example",
            "password-password": "Impostor-Secret-99",
        },
    )
    assert "do not match an approved account" in response.text
    assert client.get(ADMIN).text.count("jane@paper.example") == 0


def test_an_expired_or_forged_confirmation_link_does_nothing(db, client, mailoutbox):
    register(client)
    path = path_in(mailoutbox[0])
    with time_machine.travel(datetime.timedelta(hours=25)):
        assert client.post(path).status_code == 410
    forged = path.replace("/register/", "/register/x")
    assert client.post(forged).status_code in (404, 410)
    assert not Journalist.objects.exists()


def test_an_address_with_an_account_is_told_so_and_nothing_changes(
    db, client, mailoutbox
):
    """The same page as for a new address; the owner reads, in their own
    language, that they already have an account; no link opens anything."""
    journalist = JournalistFactory(name="Jane Doe", language="fr")
    response = register(client, email=journalist.email.upper(), name="Someone else")
    assert "Check your inbox" in response.text
    (message,) = mailoutbox
    assert message.to == [journalist.email]
    assert message.subject == "Votre compte presse"
    assert "Jane Doe" in message.body and "/fr/presse/connexion/" in message.body
    assert Journalist.objects.get().name == "Jane Doe"


def test_the_press_office_cannot_approve_an_unconfirmed_address(db, client, reviewer):
    """An account from before proofs (or added in the admin) shows its address
    as unconfirmed and cannot be approved until its owner confirms it."""
    journalist = JournalistFactory(
        status=Journalist.Status.PENDING, email_confirmed_at=None, name="Unproved Ann"
    )
    listing = client.get(ADMIN).text
    assert "adresse confirmée" in listing.lower()
    response = client.post(f"{ADMIN}approve/{journalist.pk}/", follow=True)
    assert "n’est pas confirmée" in response.text
    journalist.refresh_from_db()
    assert journalist.status == Journalist.Status.PENDING


def test_an_unproved_account_confirms_by_registering_again(
    db, client, make_user, mailoutbox, committed
):
    make_user("claire", "Communications reviewers")
    journalist = JournalistFactory(
        status=Journalist.Status.PENDING, email_confirmed_at=None, language="en"
    )
    with committed():
        confirmed(client, mailoutbox, email=journalist.email)
    journalist.refresh_from_db()
    assert journalist.email_confirmed_at is not None
    run_worker()
    assert mailoutbox[-1].to == ["claire@example.org"]


def test_passwords_from_before_proofs_stop_working_until_a_link_proves_the_address(
    db, client, mailoutbox
):
    """The data migration: no existing address was proved, so no existing
    password works; a sign-in link (it came by mail) proves the address, and
    the journalist sets a new password in the press area."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "press.migrations.0002_journalist_email_confirmed_at"
    )
    journalist = JournalistFactory(language="en", email_confirmed_at=None)
    migration.passwords_unusable(apps, None)

    def with_password(password):
        return client.post(
            "/en/press/sign-in/",
            {"password-email": journalist.email, "password-password": password},
        )

    assert "do not match" in with_password("pw").text
    client.post("/en/press/sign-in/", {"link-email": journalist.email})
    client.post(path_of(link_in(mailoutbox[-1])))
    journalist.refresh_from_db()
    assert journalist.email_confirmed_at is not None
    assert "do not match" in with_password("pw").text  # still not the old one

    form = client.get("/en/press/password/")
    assert form.status_code == 200 and "Set my password" in form.text
    weak = client.post("/en/press/password/", {"password": "123", "again": "123"})
    assert "too short" in weak.text
    differ = client.post(
        "/en/press/password/",
        {"password": "A-new-Password-42", "again": "A-new-Password-43"},
    )
    assert "The two passwords differ" in differ.text
    done = client.post(
        "/en/press/password/",
        {"password": "A-new-Password-42", "again": "A-new-Password-42"},
    )
    assert "Your password is set" in done.text
    assert client.get("/en/press/").status_code == 200  # still signed in
    client.post("/en/press/sign-out/")
    assert with_password("A-new-Password-42").status_code == 302


def test_setting_a_password_needs_a_session(db, client):
    response = client.get("/fr/presse/mot-de-passe/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/presse/connexion/")


def test_an_address_changed_in_the_admin_must_be_proved_again(db, client, mailoutbox):
    """Neither the old address's proof nor a sign-in link sent to the old
    address (the journalist may have left that paper) proves the new one."""
    journalist = JournalistFactory(email="old@paper.example", language="en")
    client.post("/en/press/sign-in/", {"link-email": "old@paper.example"})
    old_link = path_of(link_in(mailoutbox[-1]))
    journalist.email = "new@paper.example"
    journalist.save()
    journalist.refresh_from_db()
    assert journalist.email_confirmed_at is None
    assert client.post(old_link).status_code == 410
    assert client.get("/en/press/").status_code == 302  # not signed in
    journalist.refresh_from_db()
    assert journalist.email_confirmed_at is None
    response = client.post(
        "/fr/presse/connexion/",
        {"password-email": "new@paper.example", "password-password": "pw"},
    )
    assert response.status_code == 200


def test_an_address_too_long_to_be_stored_is_refused_by_the_form(db, client):
    """Django's e-mail field accepts 320 characters, the stored addresses
    254: a longer address is a form error, not a database error (PostgreSQL
    refused it with a server error)."""
    address = "a" * 64 + "@" + "b" * 60 + "." + "c" * 60 + "." + "d" * 60 + ".example"
    assert len(address) > 254
    for data in (
        {"password-email": address, "password-password": "pw"},
        {"link-email": address},
    ):
        response = client.post("/en/press/sign-in/", data)
        assert response.status_code == 200, data
        assert "at most 254 characters" in response.text, data


def test_an_item_address_naming_no_newsrooms_page_is_not_found(home, client):
    """The press area's item address with the number of a live page no
    newsroom serves (the tree's root) answers 404, not a server error."""
    press_sign_in(client, JournalistFactory())
    root = Page.objects.get(depth=1)
    assert client.get(f"/fr/presse/{root.pk}/").status_code == 404


def test_the_review_queue_lists_pending_requests_first(db, client, reviewer):
    JournalistFactory(name="Already Approved")
    JournalistFactory(name="Waiting Reporter", status=Journalist.Status.PENDING)
    html = client.get(ADMIN).text
    assert html.index("Waiting Reporter") < html.index("Already Approved")
    assert "Approve" in html and "Refuse" in html


def test_the_journalists_list_reads_as_a_table_in_the_editors_language(
    db, client, reviewer
):
    """Headings capitalised as headings are, yes and no in words."""
    JournalistFactory(name="Jane Doe", all_embargoed=True)
    soup = BeautifulSoup(client.get(ADMIN).content, "html.parser")
    headings = [th.get_text(" ", strip=True) for th in soup.select("thead th")]
    assert {"Statut", "Inscrit·e le", "Adresse confirmée"} <= set(headings)
    assert all(heading[:1] == heading[:1].upper() for heading in headings if heading)
    (row,) = [tr for tr in soup.select("tbody tr") if "Jane Doe" in tr.get_text()]
    cells = [td.get_text(strip=True) for td in row.select("td")]
    assert "Oui" in cells and "True" not in cells and "False" not in cells


def test_approval_mails_a_sign_in_link_that_works_once(
    db, client, reviewer, mailoutbox
):
    confirmed(client, mailoutbox, site="fr", language="fr")
    mailoutbox.clear()
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
    # No password yet: the mail does not send them to one.
    assert "avec votre mot de passe" not in message.body
    assert "choisissez un mot de passe dans l’espace presse" in message.body
    link = link_in(message)
    assert "/fr/presse/connexion/" in link

    client.logout()
    path = path_of(link)
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
    path = path_of(link_in(message))
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
                "newsroom": journalist.newsroom_id,
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


def test_revoking_ends_sessions_calendar_and_links_even_after_a_new_approval(
    db, client, make_user, mailoutbox
):
    """What the journalist held before a revocation (a session, the calendar
    address, a sign-in link not used yet) never comes back: approved again,
    they sign in anew and get a new calendar address."""
    journalist = JournalistFactory(language="en")
    journalist_browser = Client()
    press_sign_in(journalist_browser, journalist)
    calendar = f"/en/press/calendar/{journalist.calendar_token}.ics"
    assert journalist_browser.get(calendar).status_code == 200
    journalist_browser.post("/en/press/sign-in/", {"link-email": journalist.email})
    old_link = path_of(link_in(mailoutbox[-1]))

    client.force_login(make_user("claire", "Communications reviewers"))
    client.post(f"{ADMIN}revoke/{journalist.pk}/")
    client.post(f"{ADMIN}approve/{journalist.pk}/")
    journalist.refresh_from_db()
    assert journalist.is_approved

    assert journalist_browser.get("/en/press/").status_code == 302
    assert journalist_browser.get(calendar).status_code == 404
    assert journalist_browser.post(old_link).status_code == 410
    new_calendar = f"/en/press/calendar/{journalist.calendar_token}.ics"
    assert new_calendar != calendar
    new_link = path_of(link_in(mailoutbox[-1]))  # the approval's
    assert journalist_browser.post(new_link).status_code == 302
    assert journalist_browser.get(new_calendar).status_code == 200


@pytest.mark.parametrize(
    "who", ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2", "@SUM(A1)", "\tx"]
)
def test_the_csv_export_of_the_access_log_runs_no_formula(db, client, make_user, who):
    """A name a spreadsheet would read as a formula is exported as text."""
    import csv

    newsroom = Site.objects.get(is_default_site=True)
    for title, name in (("Aurora release", who), ("Borealis release", "Ada Reporter")):
        AccessLog.objects.create(title=title, via="link", who=name, newsroom=newsroom)
    client.force_login(make_user("claire", "Communications reviewers"))
    export = client.get("/admin/embargoed_readings/", {"export": "csv"})
    content = b"".join(export.streaming_content).decode()
    # Columns: viewed at, item, attachment, who, ...
    who_by_item = {row[1]: row[3] for row in csv.reader(content.splitlines()[1:])}
    assert who_by_item == {
        "Aurora release": "'" + who,
        "Borealis release": "Ada Reporter",
    }
