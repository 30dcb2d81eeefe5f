"""A journalist saves a press contact to their address book from its page,
in their language, as a vCard 3.0 (the version Apple, Google and Outlook
import) that address books read back whole: vobject, ical.js (Thunderbird's
address book) and a strict RFC 2426 validator read every card."""

import json
import warnings

import pytest
import vobject
from vcard import vcard_validator

from announcements import vcards
from announcements.models import PressContact
from tests.clients import run_node
from tests.factories import OrganisationFactory, build_contact, url_in


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    return vobject.readOne(response.content.decode())


def read_with_ical_js(text):
    """``{property: [(values, params)]}`` as ical.js reads ``text``."""
    found = json.loads(run_node("vcard_read.mjs", text.encode()))
    return {
        name: [(entry["value"], entry["params"]) for entry in entries]
        for name, entries in found.items()
    }


def rfc_2426_complaint(text, tmp_path):
    """What the ``vcard`` package, a strict RFC 2426 validator, finds wrong
    with ``text``: "" when nothing."""
    path = tmp_path / "card.vcf"
    path.write_bytes(text.encode())
    with warnings.catch_warnings():
        # Its style hints (e.g. a continuation line shorter than the rest,
        # as folding by octets makes) are not errors.
        warnings.simplefilter("ignore")
        return vcard_validator.validate_file(str(path), verbose=False)


def test_the_contact_page_links_its_vcard_in_each_language(home, client):
    contact = build_contact(home, title_fr="Jeanne Martin", title_en="Jeanne Martin")
    for language, label in (
        ("fr", "Ajouter à mes contacts (vCard)"),
        ("en", "Add to my contacts (vCard)"),
    ):
        html = client.get(url_in(contact, language)).content.decode()
        assert f'href="/{language}/vcard/{contact.pk}.vcf"' in html
        assert label in html


def test_the_vcard_holds_what_the_page_shows_in_the_readers_language(home, client):
    organisation = OrganisationFactory(
        name_fr="CHU de Nîmes", name_en="Nîmes University Hospital", slug="chu"
    )
    contact = build_contact(
        home,
        title_fr="Jeanne Martin",
        title_en="Jeanne Martin",
        organisation=organisation,
        role_fr="Attachée de presse",
        role_en="Press officer",
        phone="+33 4 66 68 33 04",
        phone_secondary="06 12 34 56 78",
        email="presse@chu-nimes.fr",
    )
    card = parse(client.get(f"/en/vcard/{contact.pk}.vcf"))
    assert card.version.value == "3.0"
    assert card.fn.value == "Jeanne Martin"
    assert (card.n.value.family, card.n.value.given) == ("Martin", "Jeanne")
    assert card.org.value == ["Nîmes University Hospital"]
    assert card.org.params["LANGUAGE"] == ["en"]
    assert card.title.value == "Press officer"
    assert card.title.params["LANGUAGE"] == ["en"]
    assert [(tel.value, tel.params["TYPE"]) for tel in card.tel_list] == [
        ("+33 4 66 68 33 04", ["WORK", "VOICE", "PREF"]),
        ("06 12 34 56 78", ["WORK", "VOICE"]),
    ]
    assert card.email.value == "presse@chu-nimes.fr"
    assert card.url.value == "http://testserver" + url_in(contact, "en")
    assert card.uid.value == f"urn:uuid:{contact.translation_key}"

    french = parse(client.get(f"/fr/vcard/{contact.pk}.vcf"))
    assert french.org.value == ["CHU de Nîmes"]
    assert french.title.value == "Attachée de presse"
    assert french.url.value == "http://testserver" + url_in(contact, "fr")


@pytest.mark.parametrize(
    ("written", "language"),
    [
        ({"role_fr": "Chargée de communication", "role_en": ""}, "fr"),
        ({"role_fr": "", "role_en": "Chairman"}, "en"),
    ],
)
def test_a_role_written_in_one_language_is_on_both_cards_marked_so(
    home, client, written, language
):
    """As on the contact's page: the seed's chairman has a role in English
    only, and the French page shows it."""
    contact = build_contact(home, **written)
    role = written[f"role_{language}"]
    for reader in ("fr", "en"):
        assert role in client.get(url_in(contact, reader)).text
        card = parse(client.get(f"/{reader}/vcard/{contact.pk}.vcf"))
        assert card.title.value == role
        assert card.title.params["LANGUAGE"] == [language]


def test_the_vcard_is_a_download_named_after_the_contact(home, client):
    contact = build_contact(home, slug_fr="jeanne-martin", slug_en="jeanne-martin-en")
    response = client.get(f"/fr/vcard/{contact.pk}.vcf")
    assert response["Content-Disposition"] == 'attachment; filename="jeanne-martin.vcf"'


def test_a_contact_not_public_has_no_vcard(home, client):
    draft = build_contact(
        home, live=False, title_fr="Brouillon Secret", title_en="Draft Secret"
    )
    for language in ("fr", "en"):
        response = client.get(f"/{language}/vcard/{draft.pk}.vcf")
        assert response.status_code == 404
        assert "Secret" not in response.content.decode()


def test_text_is_escaped_and_long_lines_folded_without_cutting_a_character(
    home, client
):
    """Commas and semicolons in a name or role do not split it, and a long
    accented role survives the 75-octet lines."""
    organisation = OrganisationFactory(name_fr="Inserm; Unité 1, Nîmes")
    role = "Responsable de la communication scientifique, relations presse " * 3
    contact = build_contact(
        home,
        title_fr="Dupont, Jeanne",
        title_en="Dupont, Jeanne",
        organisation=organisation,
        role_en=role.strip(),
    )
    text = client.get(f"/en/vcard/{contact.pk}.vcf").content.decode()
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert text.endswith("END:VCARD\r\n")
    card = vobject.readOne(text)
    assert card.fn.value == "Dupont, Jeanne"
    assert card.org.value == ["Inserm; Unité 1, Nîmes"]
    assert card.title.value == role.strip()


def test_fold_keeps_characters_whole():
    line = "NOTE:" + "é" * 100
    folded = vcards.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_a_short_line_of_accented_text_is_folded_by_octets(home, client):
    """The ORG line below has 73 characters but 81 octets: it is folded all
    the same (vobject alone folds by characters), never inside a character."""
    name = "Groupement hospitalier « Cévennes–Gard–Camargue », Nîmes"
    organisation = OrganisationFactory(name_fr=name, name_en=name)
    contact = build_contact(home, organisation=organisation)
    text = client.get(f"/en/vcard/{contact.pk}.vcf").content.decode()
    org = "ORG;LANGUAGE=en:Groupement hospitalier « Cévennes–Gard–Camargue »\\, Nîmes"
    assert (len(org), len(org.encode())) == (73, 81)
    assert org in text.replace("\r\n ", "").split("\r\n")
    assert org not in text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert vobject.readOne(text).org.value == [name]


def test_backslashes_semicolons_commas_and_new_lines_are_escaped(home, client):
    """RFC 2426, section 4, in every text value."""
    contact = build_contact(
        home,
        title_en="Martin\\Dupont, Jeanne",
        role_en="Relations presse\nDirection; Nîmes, Gard\r\nCHU",
        email="presse@chu-nimes.fr",
        phone="+33 4 66 68 33 04",
    )
    text = client.get(f"/en/vcard/{contact.pk}.vcf").content.decode()
    lines = text.replace("\r\n ", "").split("\r\n")
    assert "FN:Martin\\\\Dupont\\, Jeanne" in lines
    assert "TITLE;LANGUAGE=en:Relations presse\\nDirection\\; Nîmes\\, Gard\\nCHU" in (
        lines
    )
    assert "EMAIL;TYPE=INTERNET,WORK:presse@chu-nimes.fr" in lines
    assert "TEL;TYPE=WORK,VOICE,PREF:+33 4 66 68 33 04" in lines
    assert f"UID:urn:uuid:{contact.translation_key}" in lines
    assert "URL:http://testserver" + url_in(contact, "en") in lines
    card = vobject.readOne(text)
    assert card.fn.value == "Martin\\Dupont, Jeanne"
    assert card.title.value == "Relations presse\nDirection; Nîmes, Gard\nCHU"


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("Michaël VIDEMENT", "VIDEMENT", "Michaël"),
        ("José Achache", "Achache", "José"),
        ("Jean-Marie LE PEN DUPONT", "LE PEN DUPONT", "Jean-Marie"),
        ("Cher", "Cher", ""),
    ],
)
def test_a_persons_family_name_is_the_one_in_capitals_else_the_last(
    name, family, given
):
    structured = vcards.structured_name(name)
    assert (structured.family, structured.given) == (family, given)


def test_an_office_is_saved_as_an_organisation_card(home, client):
    """Apple and Google show a card marked ``X-ABShowAs:COMPANY`` under the
    office's name, with no person's name to sort it by."""
    organisation = OrganisationFactory(name_fr="CHU de Nîmes", slug="chu")
    office = build_contact(
        home,
        kind=PressContact.Kind.OFFICE,
        title_fr="Direction de la Communication",
        title_en="Direction de la Communication",
        organisation=organisation,
    )
    text = client.get(f"/fr/vcard/{office.pk}.vcf").content.decode()
    card = vobject.readOne(text)
    assert card.fn.value == "Direction de la Communication"
    assert str(card.n.value).strip() == ""
    assert card.org.value == ["CHU de Nîmes", "Direction de la Communication"]
    assert card.x_abshowas.value == "COMPANY"
    read = read_with_ical_js(text)
    assert read["x-abshowas"][0][0] == ["COMPANY"]
    assert read["n"][0][0] == [["", "", "", "", ""]]


def test_every_card_reads_the_same_in_three_independent_readers(home, client, tmp_path):
    """vobject (Python's address books), ical.js (Thunderbird) and a strict
    RFC 2426 validator, in both languages, on contacts written as the seed's
    are: a surname in capitals, an office, a role in English only, accents."""
    chu = OrganisationFactory(
        name_fr="CHU de Nîmes", name_en="Nîmes University Hospital", slug="chu"
    )
    contacts = [
        build_contact(
            home,
            title_fr="Michaël VIDEMENT",
            title_en="Michaël VIDEMENT",
            role_fr="Directeur de la Communication et des Affaires culturelles",
            role_en="",
            organisation=chu,
            phone="+33 6 61 43 28 12",
            email="michael.videment@chu-nimes.fr",
        ),
        build_contact(
            home,
            kind=PressContact.Kind.OFFICE,
            title_fr="Direction de la Communication et des Affaires culturelles",
            title_en="Direction de la Communication et des Affaires culturelles",
            role_fr="",
            role_en="",
            organisation=chu,
            phone="+33 4 66 68 33 04",
        ),
        build_contact(
            home,
            title_fr="José Achache",
            title_en="José Achache",
            role_fr="",
            role_en="Chairman",
            phone="+33 7 60 7657 97",
            phone_secondary="+41 78 867 13 43",
            email="",
        ),
    ]
    for contact in contacts:
        for language in ("fr", "en"):
            text = client.get(f"/{language}/vcard/{contact.pk}.vcf").content.decode()
            assert rfc_2426_complaint(text, tmp_path) == "", text
            card = vobject.readOne(text)
            read = read_with_ical_js(text)
            assert read["version"][0][0] == ["3.0"]
            assert read["fn"][0][0] == [card.fn.value]
            n = card.n.value
            assert read["n"][0][0] == [
                [n.family, n.given, n.additional, n.prefix, n.suffix]
            ]
            assert [values for values, _params in read["tel"]] == [
                [tel.value] for tel in card.tel_list
            ]
            # ical.js gives a structured value of one component flat.
            org = read["org"][0][0]
            assert (org[0] if isinstance(org[0], list) else org) == card.org.value
            role = contact.role_fr or contact.role_en
            if role:
                assert read["title"][0][0] == [card.title.value] == [role]
                assert role in client.get(url_in(contact, language)).text
