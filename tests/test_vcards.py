"""A journalist saves a press contact to their address book from its page,
in their language, as a vCard 4.0 that address books read back whole."""

import vobject

from announcements import vcards
from tests.factories import OrganisationFactory, build_contact, url_in


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    return vobject.readOne(response.content.decode())


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
    assert card.version.value == "4.0"
    assert card.fn.value == "Jeanne Martin"
    assert card.org.value == ["Nîmes University Hospital"]
    assert card.org.params["LANGUAGE"] == ["en"]
    assert card.title.value == "Press officer"
    assert card.title.params["LANGUAGE"] == ["en"]
    assert [tel.value for tel in card.tel_list] == [
        "tel:+33466683304",
        "tel:0612345678",
    ]
    assert card.email.value == "presse@chu-nimes.fr"
    assert card.url.value == "http://testserver" + url_in(contact, "en")
    assert [lang.value for lang in card.lang_list] == ["en", "fr"]
    assert card.uid.value == f"urn:uuid:{contact.translation_key}"

    french = parse(client.get(f"/fr/vcard/{contact.pk}.vcf"))
    assert french.org.value == ["CHU de Nîmes"]
    assert french.title.value == "Attachée de presse"
    assert french.url.value == "http://testserver" + url_in(contact, "fr")
    assert [lang.value for lang in french.lang_list] == ["fr", "en"]


def test_a_role_written_in_french_only_is_marked_french(home, client):
    contact = build_contact(home, role_fr="Chargée de communication", role_en="")
    card = parse(client.get(f"/en/vcard/{contact.pk}.vcf"))
    assert card.title.value == "Chargée de communication"
    assert card.title.params["LANGUAGE"] == ["fr"]


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
    """RFC 6350, section 3.4, in every text value; the URI values (TEL, URL,
    UID) are written as they are."""
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
    assert "EMAIL;TYPE=work:presse@chu-nimes.fr" in lines
    assert "TEL;PREF=1;TYPE=work,voice;VALUE=uri:tel:+33466683304" in lines
    assert f"UID:urn:uuid:{contact.translation_key}" in lines
    assert "URL:http://testserver" + url_in(contact, "en") in lines
    card = vobject.readOne(text)
    assert card.fn.value == "Martin\\Dupont, Jeanne"
    assert card.title.value == "Relations presse\nDirection; Nîmes, Gard\nCHU"
