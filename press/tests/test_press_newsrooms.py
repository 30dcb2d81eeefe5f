"""Each newsroom has its own press area, journalists and press office, and
permissions stop at its edge: a journalist of one newsroom reads nothing
embargoed of another's, and an account, session, sign-in link, calendar
address or secret link of one newsroom opens nothing at the other's."""

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data

import icalendar
import pytest

from press.models import AccessLog, EmbargoPreviewLink, Journalist
from tests.factories import JournalistFactory, build_release, schedule
from tests.support import run_worker
from tests.test_newsrooms import OTHER

HOME = "localhost"
EMBARGO = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
ADMIN = "/admin/journalists/"


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

    for user, journalist, address in (
        (crew["other_communications"], bea, "http://filslan.test"),
        (crew["communications"], ada, settings.WAGTAILADMIN_BASE_URL),
    ):
        mailoutbox.clear()
        client.force_login(user)
        assert client.post(f"{ADMIN}approve/{journalist.pk}/").status_code == 302
        (approval,) = mailoutbox
        links = [word for word in approval.body.split() if "://" in word]
        assert links and all(link.startswith(address + "/fr/") for link in links)
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


@pytest.fixture
def links(releases):
    made = {}
    for host, (release, _document) in releases.items():
        link = EmbargoPreviewLink.objects.create(page=release, label=f"Desk {host}")
        link.grant(None)
        made[host] = link
    return made


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
