"""Whose newsroom this is: the institution's name and logo in every page's
header (a site setting, in both languages), its press office first on the
contacts page, and text in the other language marked with ``lang``."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html

import pytest
from bs4 import BeautifulSoup

from announcements.models import (
    ContactIndexPage,
    HomePage,
    Institution,
    Organisation,
    PressRelease,
    SeedRecord,
    Trial,
    TrialIndexPage,
)
from tests.factories import (
    OrganisationFactory,
    build_contact,
    build_trial,
    index_of,
    url_in,
)
from tests.test_images import make_image

pytestmark = pytest.mark.django_db


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def institution():
    return Institution.for_site(Site.objects.get(is_default_site=True))


@pytest.mark.parametrize(
    ("language", "name", "newsroom"),
    [
        ("fr", "CHU de Nîmes", "Salle de presse"),
        ("en", "Nîmes University Hospital", "Newsroom"),
    ],
)
def test_every_page_names_the_seeded_institution_in_its_header(
    seeded, client, language, name, newsroom
):
    """`make run` shows whose newsroom it is: the seed names CHU de Nîmes, in
    each language, on every page; it has no logo (the sources have none)."""
    pages = [HomePage.objects.get(), PressRelease.objects.get(), Trial.objects.get()]
    pages.append(ContactIndexPage.objects.get())
    for page in pages:
        brand = soup_of(client, url_in(page, language)).select_one(
            ".site-header .brand"
        )
        assert brand.select_one(".brand-institution").get_text() == name
        assert brand.select_one(".brand-newsroom").get_text() == newsroom
        assert brand["href"] == f"/{language}/"
        assert brand.find("img") is None


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Salle de presse"), ("en", "Newsroom")]
)
def test_home_title_says_the_site_name_once(seeded, client, language, title):
    """The home page's tab title is the site's name, not "Newsroom · Newsroom",
    now that the header also names the institution."""
    soup = soup_of(client, url_in(HomePage.objects.get(), language))
    assert soup.title.get_text() == title


def test_the_logo_is_shown_with_its_description_in_each_language(home, client):
    setting = institution()
    setting.name_fr = "CHU de Nîmes"
    setting.name_en = ""
    setting.logo = make_image("Logo", size=(400, 200))
    setting.logo_alt_fr = "Logo du CHU de Nîmes"
    setting.logo_alt_en = "Nîmes University Hospital logo"
    setting.save()
    for language, alt in (
        ("fr", "Logo du CHU de Nîmes"),
        ("en", "Nîmes University Hospital logo"),
    ):
        brand = soup_of(client, f"/{language}/").select_one(".brand")
        logo = brand.find("img")
        assert logo["alt"] == alt
        assert logo["src"].endswith(".png")
        # An institution not named in English is named in French, marked.
        name = brand.select_one(".brand-institution")
        assert name.get_text() == "CHU de Nîmes"
        assert name.get("lang") == ("fr" if language == "en" else None)


def test_without_a_name_the_header_names_the_institutions_organisation(home, client):
    setting = institution()
    setting.name_fr = setting.name_en = ""
    setting.organisation = OrganisationFactory(
        name_fr="Hôpital Exemple", name_en="Example Hospital"
    )
    setting.save()
    assert soup_of(client, "/en/").select_one(".brand-institution").get_text() == (
        "Example Hospital"
    )


def test_without_an_institution_the_header_says_newsroom_only(home, client):
    setting = institution()
    setting.name_fr = setting.name_en = ""
    setting.organisation = None
    setting.save()
    brand = soup_of(client, "/fr/").select_one(".brand")
    assert brand.get_text(strip=True) == "Salle de presse"
    assert brand.select_one(".brand-institution") is None


@pytest.mark.parametrize(
    ("filled", "missing"),
    [
        ({}, ["logo_alt_en", "logo_alt_fr"]),
        ({"logo_alt_fr": "Logo du CHU de Nîmes"}, ["logo_alt_en"]),
    ],
)
def test_admin_refuses_a_logo_without_its_description_in_both_languages(
    home, make_user, client, filled, missing
):
    """The header shows the logo on both sites: the settings form says which
    description is missing, and saves nothing until both are there."""
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    site = Site.objects.get(is_default_site=True)
    url = reverse(
        "wagtailsettings:edit", args=("announcements", "institution", site.pk)
    )
    form_page = client.get(url).text
    for name in ("name_fr", "name_en", "logo_alt_fr", "logo_alt_en", "organisation"):
        assert f'name="{name}"' in form_page
    data = querydict_from_html(form_page, form_id="w-editor-form")
    data["name_fr"] = "Hôpital Exemple"
    data["logo"] = str(make_image("Logo").pk)
    for name, value in filled.items():
        data[name] = value

    response = client.post(url, data)

    assert response.status_code == 200
    assert sorted(response.context["form"].errors) == missing
    assert "Décrivez le logo en anglais" in response.text
    assert institution().logo_id is None
    assert institution().name_fr != "Hôpital Exemple"

    data["logo_alt_fr"] = "Logo du CHU de Nîmes"
    data["logo_alt_en"] = "Nîmes University Hospital logo"
    assert client.post(url, data).status_code == 302
    assert institution().logo_alt_en == "Nîmes University Hospital logo"


def test_the_admin_names_the_newsroom_after_its_institution(home, make_user, client):
    """Wagtail's dashboard and its newsroom choices name a newsroom by its
    site: renaming the institution in the settings renames them too."""
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    site = Site.objects.get(is_default_site=True)
    url = reverse(
        "wagtailsettings:edit", args=("announcements", "institution", site.pk)
    )
    data = querydict_from_html(client.get(url).text, form_id="w-editor-form")
    data["name_fr"] = "Hôpital Exemple"
    data["name_en"] = "Example Hospital"
    assert client.post(url, data).status_code == 302

    editor = make_user("edith", "Editors")
    client.force_login(editor)
    heading = BeautifulSoup(
        client.get(reverse("wagtailadmin_home")).content, "html.parser"
    )
    assert heading.select_one("h1").get_text(" ", strip=True) == "Hôpital Exemple"
    assert str(Site.objects.get(pk=site.pk)) == "Hôpital Exemple [défaut]"


def test_seed_names_the_institution_once_and_keeps_an_editors_change(seeded):
    setting = institution()
    assert (setting.name_fr, setting.name_en) == (
        "CHU de Nîmes",
        "Nîmes University Hospital",
    )
    assert setting.organisation == Organisation.objects.get(slug="chu-nimes")

    setting.name_en = "University Hospital of Nîmes"
    setting.save()
    out = StringIO()
    call_command("load_seed_content", stdout=out)
    assert "kept institution:site" in out.getvalue()
    assert institution().name_en == "University Hospital of Nîmes"

    call_command("load_seed_content", "--force", stdout=StringIO())
    assert institution().name_en == "Nîmes University Hospital"


def test_seed_keeps_an_institution_named_before_it_ever_ran(home):
    """A site whose editors named their institution before loading the seed
    keeps their name."""
    SeedRecord.objects.filter(key="institution:site").delete()
    setting = institution()
    setting.name_fr = "Hôpital Exemple"
    setting.save()
    out = StringIO()
    call_command("load_seed_content", stdout=out)
    assert "kept institution:site" in out.getvalue()
    assert institution().name_fr == "Hôpital Exemple"


# Contacts -------------------------------------------------------------------


def _contact_names(client, language):
    soup = soup_of(client, url_in(ContactIndexPage.objects.get(), language))
    return [
        (
            card.select_one(".contact-name").get_text(),
            card.select_one(".contact-organisation").get_text(),
        )
        for card in soup.select(".contact-card")
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_institutions_press_office_comes_first(seeded, client, language):
    """A journalist calls the institution first: its contacts head the
    directory even when a partner's name sorts before it ("AFM-Téléthon")."""
    build_contact(
        HomePage.objects.get(),
        title_fr="Service de presse AFM",
        title_en="Service de presse AFM",
        organisation=Organisation.objects.get(slug="afm-telethon"),
    )
    names = _contact_names(client, language)
    chu = Organisation.objects.get(slug="chu-nimes").name_in(language)
    assert [organisation for _name, organisation in names[:2]] == [chu, chu]
    assert names[0][0] == "Direction de la Communication et des Affaires culturelles"
    assert [name for name, _organisation in names[2:]] == [
        "Service de presse AFM",
        "José Achache",
    ]


def test_without_an_institution_contacts_are_by_organisation(seeded, client):
    setting = institution()
    setting.organisation = None
    setting.save()
    build_contact(
        HomePage.objects.get(),
        title_fr="Service de presse AFM",
        title_en="Service de presse AFM",
        organisation=Organisation.objects.get(slug="afm-telethon"),
    )
    assert _contact_names(client, "fr")[0][0] == "Service de presse AFM"


@pytest.mark.parametrize(
    ("language", "role", "lang"),
    [
        ("fr", "Chairman", "en"),
        ("fr", "Directeur de la Communication et des Affaires culturelles", None),
        ("en", "Directeur de la Communication et des Affaires culturelles", "fr"),
        ("en", "Chairman", None),
    ],
)
def test_a_role_in_the_other_language_is_marked(seeded, client, language, role, lang):
    """A screen reader reads "Chairman" in English on the French site, as it
    reads a French role in French on the English one."""
    soup = soup_of(client, url_in(ContactIndexPage.objects.get(), language))
    [element] = [p for p in soup.select(".contact-role") if p.get_text() == role]
    assert element.get("lang") == lang


def test_a_trials_text_in_the_other_language_is_marked(home, client):
    """The trial's full name, written in English only, is marked on the French
    trial page, its card on the home page and the trial list."""
    trial = build_trial(
        home,
        title_fr="TRIAL",
        registry_id="NCT01234567",
        full_name_fr="",
        full_name_en="A Trial Written in English",
    )
    pages = [url_in(trial, "fr"), "/fr/", url_in(index_of(home, TrialIndexPage), "fr")]
    for url in pages:
        soup = soup_of(client, url)
        [element] = soup.find_all(string="A Trial Written in English")
        assert element.parent.get("lang") == "en", url
    soup = soup_of(client, url_in(trial, "en"))
    assert soup.find(string="A Trial Written in English").parent.get("lang") is None
