"""Each newsroom has its own press area, journalists and press office, and
permissions stop at its edge: a journalist of one newsroom reads nothing
embargoed of another's, and an account, session, sign-in link, calendar
address or secret link of one newsroom opens nothing at the other's; each
press office lists, edits, decides on and exports its own journalists,
readings and links only."""

import csv
import datetime
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data

import icalendar
import openpyxl
import pytest
from bs4 import BeautifulSoup

from press.models import AccessLog, EmbargoPreviewLink, Journalist, PressAccess
from tests.factories import JournalistFactory, build_release, schedule
from tests.support import OTHER_NEWSROOM as OTHER
from tests.support import run_worker

HOME = "localhost"
EMBARGO = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
ADMIN = "/admin/journalists/"
READINGS = "/admin/embargoed_readings/"
LINKS = "/admin/embargo_links/"


def embargoed_release(home, trial, name):
    """A release of the newsroom of ``home``, with an attachment, scheduled
    for its embargo."""
    document = get_document_model().objects.create(
        title=f"Annexe {name}", file=ContentFile(b"%PDF-1.4 " + name.encode(), "a.pdf")
    )
    release = build_release(
        home, trial, live=False, title_fr=f"Communiqué {name}", title_en=name
    )
    release.attachments.create(document=document)
    release.save_revision()
    release.save()
    return schedule(release, EMBARGO), document


@pytest.fixture
def releases(home, trial, other):
    """Under embargo: the CHU's release Aurore, FILSLAN's release Boréale."""
    return {
        HOME: embargoed_release(home, trial, "Aurore"),
        OTHER: embargoed_release(other.root_page, trial, "Boréale"),
    }


@pytest.fixture
def journalists(home, other):
    """An approved journalist of each newsroom, given every embargoed item."""
    return {
        HOME: JournalistFactory(name="Ada Chu"),
        OTHER: JournalistFactory(name="Bea Filslan", newsroom=other),
    }


def sign_in(journalist, host):
    """A browser signed in to ``journalist``'s account at ``host``."""
    client = Client()
    response = client.post(
        "/fr/presse/connexion/",
        {"password-email": journalist.email, "password-password": "pw"},
        HTTP_HOST=host,
    )
    assert response.status_code == 302, "the journalist could not sign in"
    return client


def doors(release, document):
    """The press area's addresses of an embargoed release's material."""
    return {
        "item": reverse("press:item", args=(release.pk,)),
        "document": reverse("press:document", args=(release.pk, document.pk)),
        "press kit": reverse("press:press_kit", args=(release.pk,)),
    }


def calendar_titles(client, journalist, host):
    url = reverse("press:calendar", args=(journalist.calendar_token,))
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


@pytest.mark.parametrize(("host", "elsewhere"), [(HOME, OTHER), (OTHER, HOME)])
def test_a_journalist_reads_their_own_newsrooms_embargo_and_nothing_of_the_other(
    releases, journalists, host, elsewhere
):
    """Area, item, attachment, press kit and calendar: their newsroom's
    release, never the other's, though both read every embargoed item."""
    journalist = journalists[host]
    (own, own_document), (foreign, foreign_document) = (
        releases[host],
        releases[elsewhere],
    )
    browser = sign_in(journalist, host)
    area = browser.get("/fr/presse/", HTTP_HOST=host).text
    assert own.title_fr in area and foreign.title_fr not in area
    for door, path in doors(own, own_document).items():
        assert browser.get(path, HTTP_HOST=host).status_code == 200, door
    for door, path in doors(foreign, foreign_document).items():
        response = browser.get(path, HTTP_HOST=host)
        assert response.status_code == 404, door
        assert foreign.title_fr.encode() not in response.content
    # Its own attachment through the other release's address: no more.
    mixed = reverse("press:document", args=(foreign.pk, own_document.pk))
    assert browser.get(mixed, HTTP_HOST=host).status_code == 404
    titles = calendar_titles(browser, journalist, host)
    assert any(own.title_fr in title for title in titles)
    assert not any(foreign.title_fr in title for title in titles)
    # Each reading is logged once, for the journalist's newsroom.
    assert set(AccessLog.objects.values_list("page_id", "newsroom__hostname")) == {
        (own.pk, host)
    }


def test_nothing_of_one_newsrooms_press_area_opens_at_the_others_address(
    releases, journalists, mailoutbox
):
    """A session, the password, a sign-in link and the calendar address of
    the CHU's journalist give nothing at FILSLAN's address, even for the
    CHU's own release."""
    ada = journalists[HOME]
    release, document = releases[HOME]
    browser = sign_in(ada, HOME)
    for path in ["/fr/presse/", *doors(release, document).values()]:
        response = browser.get(path, HTTP_HOST=OTHER)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/fr/presse/connexion/")
    calendar = reverse("press:calendar", args=(ada.calendar_token,))
    assert browser.get(calendar, HTTP_HOST=OTHER).status_code == 404
    assert not AccessLog.objects.exists()

    elsewhere = Client()
    response = elsewhere.post(
        "/fr/presse/connexion/",
        {"password-email": ada.email, "password-password": "pw"},
        HTTP_HOST=OTHER,
    )
    assert response.status_code == 200  # no account here
    assert elsewhere.get("/fr/presse/", HTTP_HOST=OTHER).status_code == 302
    elsewhere.post("/fr/presse/connexion/", {"link-email": ada.email}, HTTP_HOST=OTHER)
    assert mailoutbox == []

    elsewhere.post("/fr/presse/connexion/", {"link-email": ada.email}, HTTP_HOST=HOME)
    (message,) = mailoutbox
    base = settings.WAGTAILADMIN_BASE_URL
    (link,) = [word for word in message.body.split() if word.startswith(base)]
    path = link[len(base) :]
    assert elsewhere.post(path, HTTP_HOST=OTHER).status_code == 410
    assert elsewhere.post(path, HTTP_HOST=HOME).status_code == 302
    assert elsewhere.get("/fr/presse/", HTTP_HOST=HOME).status_code == 200


def register(client, host, email="ada@science.example"):
    fields = {
        "name": "Ada Reporter",
        "outlet": "Science Daily",
        "email": email,
        "language": "fr",
    }
    response = client.post("/fr/presse/inscription/", fields, HTTP_HOST=host)
    assert response.status_code == 200


def confirmation_link(message, address):
    (link,) = [word for word in message.body.split() if "/inscription/" in word]
    assert link.startswith(address + "/fr/presse/inscription/"), link
    return link[len(address) :]


def test_each_newsroom_registers_its_own_journalists_and_tells_its_own_press_office(
    home, other, crew, client, mailoutbox, committed
):
    """The same address registers with FILSLAN, then with the CHU: two
    accounts, each confirmed at its newsroom's address, each request told
    to that newsroom's press office only; each approval links there."""
    register(client, OTHER)
    (confirmation,) = mailoutbox
    # Signed by the newsroom it was asked of: the address may ask both.
    assert confirmation.body.endswith("-- \nFILSLAN · Service de presse\n")
    path = confirmation_link(confirmation, "http://filslan.test")
    # FILSLAN's confirmation opens nothing at the CHU's address.
    assert client.post(path, HTTP_HOST=HOME).status_code == 410
    with committed():
        assert client.post(path, HTTP_HOST=OTHER).status_code == 200
    bea = Journalist.objects.get()
    assert bea.newsroom == other and bea.status == Journalist.Status.PENDING
    mailoutbox.clear()
    run_worker()
    assert [message.to for message in mailoutbox] == [
        [crew["other_communications"].email]
    ]

    mailoutbox.clear()
    register(client, HOME)
    (confirmation,) = mailoutbox
    assert confirmation.body.endswith("-- \nCHU de Nîmes · Service de presse\n")
    path = confirmation_link(confirmation, settings.WAGTAILADMIN_BASE_URL)
    assert client.post(path, HTTP_HOST=OTHER).status_code == 410
    with committed():
        assert client.post(path, HTTP_HOST=HOME).status_code == 200
    ada = Journalist.objects.exclude(pk=bea.pk).get()
    assert ada.newsroom == Site.objects.get(is_default_site=True)
    assert ada.email == bea.email
    mailoutbox.clear()
    run_worker()
    assert [message.to for message in mailoutbox] == [[crew["communications"].email]]

    # Registering again with FILSLAN: its account exists, and says so.
    mailoutbox.clear()
    register(client, OTHER)
    (message,) = mailoutbox
    assert "/fr/presse/connexion/" in message.body
    assert "http://filslan.test/fr/presse/connexion/" in message.body
    assert Journalist.objects.count() == 2

    for user, journalist, address, newsroom in (
        (crew["other_communications"], bea, "http://filslan.test", "FILSLAN"),
        (crew["communications"], ada, settings.WAGTAILADMIN_BASE_URL, "CHU de Nîmes"),
    ):
        mailoutbox.clear()
        client.force_login(user)
        assert client.post(f"{ADMIN}approve/{journalist.pk}/").status_code == 302
        (approval,) = mailoutbox
        links = [word for word in approval.body.split() if "://" in word]
        assert links and all(link.startswith(address + "/fr/") for link in links)
        assert approval.body.endswith(f"-- \n{newsroom} · Service de presse\n")
    assert set(Journalist.objects.values_list("status", flat=True)) == {
        Journalist.Status.APPROVED
    }


@pytest.fixture
def accounts(home, other):
    """Each newsroom's requests: one pending, one approved."""
    chu = Site.objects.get(is_default_site=True)
    return {
        site: {
            "pending": JournalistFactory(
                name=f"Pending {label}",
                newsroom=site,
                status=Journalist.Status.PENDING,
            ),
            "approved": JournalistFactory(name=f"Approved {label}", newsroom=site),
        }
        for site, label in ((chu, "Chu"), (other, "Filslan"))
    }


def journalist_doors(accounts):
    """Every door of the journalists' admin, and the account it acts on
    (followed: the language middleware sends a 404 to the French address,
    another 404)."""
    pending, approved = accounts["pending"], accounts["approved"]
    return [
        ("get", f"{ADMIN}edit/{pending.pk}/", pending),
        ("post", f"{ADMIN}edit/{pending.pk}/", pending),
        ("get", f"{ADMIN}history/{pending.pk}/", pending),
        ("get", f"{ADMIN}usage/{pending.pk}/", pending),
        ("get", f"{ADMIN}delete/{pending.pk}/", pending),
        ("post", f"{ADMIN}delete/{pending.pk}/", pending),
        ("get", f"{ADMIN}approve/{pending.pk}/", pending),
        ("post", f"{ADMIN}approve/{pending.pk}/", pending),
        ("post", f"{ADMIN}refuse/{pending.pk}/", pending),
        ("get", f"{ADMIN}revoke/{approved.pk}/", approved),
        ("post", f"{ADMIN}revoke/{approved.pk}/", approved),
    ]


def edit_form(journalist, **changes):
    return nested_form_data(
        {
            "newsroom": journalist.newsroom_id,
            "name": journalist.name,
            "outlet": journalist.outlet,
            "email": journalist.email,
            "language": journalist.language,
            "all_embargoed": "on" if journalist.all_embargoed else "",
            "grants": inline_formset([]),
            **changes,
        }
    )


def state(journalist):
    return Journalist.objects.filter(pk=journalist.pk).values().first()


def test_a_press_office_sees_and_decides_on_its_own_journalists_only(
    accounts, crew, mailoutbox
):
    """FILSLAN's press office and the CHU's each list their own journalists;
    every door to the other's (edit, history, usage, delete, approve,
    refuse, revoke) is closed and changes nothing."""
    chu, filslan = list(accounts)
    for user, own, foreign in (
        (crew["other_communications"], accounts[filslan], accounts[chu]),
        (crew["communications"], accounts[chu], accounts[filslan]),
    ):
        client = Client()
        client.force_login(user)
        listing = client.get(ADMIN).text
        assert own["pending"].name in listing and own["approved"].name in listing
        assert foreign["pending"].name not in listing
        assert foreign["approved"].name not in listing
        for method, url, journalist in journalist_doors(foreign):
            before = state(journalist)
            if method == "post":
                data = edit_form(journalist, name="Changed") if "edit" in url else {}
                response = client.post(url, data, follow=True)
            else:
                response = client.get(url, follow=True)
            assert response.status_code in (403, 404), (method, url)
            assert journalist.name.encode() not in response.content
            assert state(journalist) == before, (method, url)
        assert mailoutbox == []
        # Their own: decided on, and told.
        response = client.post(f"{ADMIN}approve/{own['pending'].pk}/")
        assert response.status_code == 302
        assert state(own["pending"])["status"] == Journalist.Status.APPROVED
        assert len(mailoutbox) == 1
        mailoutbox.clear()


def test_a_superuser_sees_every_newsrooms_journalists(accounts, make_user, client):
    client.force_login(make_user("root", is_superuser=True))
    listing = client.get(ADMIN).text
    for own in accounts.values():
        assert own["pending"].name in listing
        assert client.get(f"{ADMIN}edit/{own['pending'].pk}/").status_code == 200


def test_a_journalist_added_in_the_admin_joins_one_of_the_users_newsrooms(
    home, other, crew, client
):
    client.force_login(crew["other_communications"])
    form = BeautifulSoup(client.get(f"{ADMIN}new/").content, "html.parser")
    choices = form.select('select[name="newsroom"] option')
    assert [option["value"] for option in choices if option["value"]] == [str(other.pk)]
    assert choices[-1].has_attr("selected")  # their only one
    chu = Site.objects.get(is_default_site=True)
    fields = {"name": "Added", "outlet": "Le Quotidien", "email": "a@paper.example"}
    response = client.post(
        f"{ADMIN}new/", edit_form(Journalist(newsroom=chu, **fields))
    )
    assert response.status_code == 200
    assert "newsroom" in response.context["form"].errors
    assert not Journalist.objects.exists()
    response = client.post(
        f"{ADMIN}new/", edit_form(Journalist(newsroom=other, **fields))
    )
    assert response.status_code == 302
    assert Journalist.objects.get().newsroom == other


def test_the_same_address_twice_in_one_newsroom_is_refused_in_its_words(
    accounts, crew, client
):
    chu = Site.objects.get(is_default_site=True)
    taken = accounts[chu]["approved"]
    client.force_login(crew["communications"])
    fields = {"name": "Twin", "outlet": "Le Quotidien", "email": taken.email}
    response = client.post(
        f"{ADMIN}new/", edit_form(Journalist(newsroom=chu, **fields))
    )
    assert response.status_code == 200
    assert "Cette salle de presse a déjà un·e journaliste à cette adresse." in (
        response.text
    )


def test_a_journalist_is_granted_items_of_their_own_newsroom_only(
    releases, accounts, crew, client
):
    """The grant of the other newsroom's release is refused with a clear
    error; one made anyway (in code) opens nothing."""
    filslan = Site.objects.get(hostname=OTHER)
    bea = accounts[filslan]["approved"]
    bea.all_embargoed = False
    bea.save()
    chus, _document = releases[HOME]
    own, _document = releases[OTHER]
    client.force_login(crew["other_communications"])
    response = client.post(
        f"{ADMIN}edit/{bea.pk}/",
        edit_form(bea, grants=inline_formset([{"page": chus.pk}])),
    )
    assert response.status_code == 200
    assert (
        f"« {chus.title} » n’est pas un élément de FILSLAN : un·e journaliste "
        "n’obtient que les éléments de sa propre salle de presse."
    ) in BeautifulSoup(response.content, "html.parser").get_text(" ")
    assert not PressAccess.objects.exists()
    response = client.post(
        f"{ADMIN}edit/{bea.pk}/",
        edit_form(bea, grants=inline_formset([{"page": own.pk}])),
    )
    assert response.status_code == 302
    assert bea.readable_items() == {own.pk: EMBARGO}
    PressAccess.objects.create(journalist=bea, page=chus)
    assert bea.readable_items() == {own.pk: EMBARGO}


def exported(client, url, export_format):
    response = client.get(url, {"export": export_format})
    assert response.status_code == 200
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def exported_rows(client, export_format):
    content = exported(client, READINGS, export_format)
    if export_format == "csv":
        return list(csv.reader(io.StringIO(content.decode())))[1:]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_a_press_office_reads_and_exports_its_own_newsrooms_log_only(
    releases, journalists, crew, make_user, client
):
    """Readings, their filter and their CSV and XLSX exports: each newsroom
    its own; a superuser all."""
    for host, journalist in journalists.items():
        release, document = releases[host]
        reader = sign_in(journalist, host)
        for path in doors(release, document).values():
            assert reader.get(path, HTTP_HOST=host).status_code == 200
    assert AccessLog.objects.count() == 6
    names = {host: journalist.name for host, journalist in journalists.items()}
    for user, own, foreign in (
        (crew["other_communications"], OTHER, HOME),
        (crew["communications"], HOME, OTHER),
    ):
        client.force_login(user)
        listing = client.get(READINGS).text
        assert names[own] in listing and names[foreign] not in listing
        soup = BeautifulSoup(listing, "html.parser")
        choices = {o["value"] for o in soup.select('select[name="page"] option')}
        assert str(releases[own][0].pk) in choices
        assert str(releases[foreign][0].pk) not in choices
        for export_format in ("csv", "xlsx"):
            rows = exported_rows(client, export_format)
            assert len(rows) == 3, export_format
            assert {row[3] for row in rows} == {str(journalists[own])}, export_format
        # Filtered on the other's release: nothing.
        other_release = releases[foreign][0].pk
        filtered = client.get(READINGS, {"page": other_release}).text
        assert names[foreign] not in filtered
    client.force_login(make_user("root", is_superuser=True))
    assert len(exported_rows(client, "csv")) == 6


@pytest.fixture
def links(releases):
    made = {}
    for host, (release, _document) in releases.items():
        link = EmbargoPreviewLink.objects.create(page=release, label=f"Desk {host}")
        link.grant(None)
        made[host] = link
    return made


def test_a_press_office_sees_and_acts_on_its_own_newsrooms_embargo_links_only(
    releases, links, crew, client
):
    """Listing, edit, revoke, delete, history, usage: each newsroom's own;
    a link for the other's item is refused; each link is given at its
    newsroom's address."""
    for user, own, foreign in (
        (crew["other_communications"], OTHER, HOME),
        (crew["communications"], HOME, OTHER),
    ):
        client.force_login(user)
        listing = client.get(LINKS).text
        assert links[own].label in listing and links[foreign].label not in listing
        address = "http://filslan.test" if own == OTHER else ""
        address = address or settings.WAGTAILADMIN_BASE_URL
        assert address + links[own].url_in("fr") in listing
        link = links[foreign]
        for method, view in (
            ("get", "edit"),
            ("post", "edit"),
            ("get", "delete"),
            ("post", "delete"),
            ("get", "history"),
            ("get", "usage"),
        ):
            url = reverse(f"embargo_links:{view}", args=(link.pk,))
            if method == "post":
                data = {"page": link.page_id, "label": "Changed", "revoke": "on"}
                response = client.post(url, data if view == "edit" else {}, follow=True)
            else:
                response = client.get(url, follow=True)
            assert response.status_code in (403, 404), (method, view)
            link.refresh_from_db()
            assert link.revoked_at is None and link.label == f"Desk {foreign}"
        response = client.post(
            reverse("embargo_links:add"),
            {"page": releases[foreign][0].pk, "label": "Sneaky", "expires_at": ""},
        )
        assert response.status_code == 200
        assert "page" in response.context["form"].errors
        assert not EmbargoPreviewLink.objects.filter(label="Sneaky").exists()
        response = client.post(
            reverse("embargo_links:add"),
            {"page": releases[own][0].pk, "label": f"New {own}", "expires_at": ""},
        )
        assert response.status_code == 302


def test_a_secret_link_opens_what_it_names_at_its_newsrooms_address_only(
    releases, links, client
):
    link = links[HOME]
    release, document = releases[HOME]
    _other_release, other_document = releases[OTHER]
    paths = {
        "item": link.url_in("fr"),
        "document": reverse("embargo_preview_document", args=(link.token, document.pk)),
        "press kit": reverse("embargo_press_kit", args=(link.token,)),
    }
    for door, path in paths.items():
        assert client.get(path, HTTP_HOST=OTHER).status_code == 404, door
        assert client.get(path, HTTP_HOST=HOME).status_code == 200, door
    # Not the other newsroom's attachment, through its own link either.
    foreign = reverse("embargo_preview_document", args=(link.token, other_document.pk))
    assert client.get(foreign, HTTP_HOST=HOME).status_code == 404
    assert set(AccessLog.objects.values_list("newsroom__hostname", flat=True)) == {HOME}
    assert release.title_fr in client.get(paths["item"], HTTP_HOST=HOME).text
