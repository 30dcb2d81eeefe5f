"""The seed content is the five MIROCALS documents as their authors published
them: every sentence on the site, nothing added, nothing of the web pages'
furniture, loaded by one idempotent, atomic command."""

import re
from html import unescape
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from wagtail.models import Page, Revision

import pytest
from bs4 import BeautifulSoup

from announcements.models import (
    Organisation,
    PartnerPosition,
    PressContact,
    PressRelease,
    SeedRecord,
    Trial,
)
from tests.factories import url_in

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = ROOT / "fixtures" / "sources"
FIXTURES = ROOT / "fixtures"

# Which page, in which language, publishes each source document.
SOURCES = {
    "000_a6a1b72a81ecfc7a.txt": ("release:mirocals-lancet-results", "fr"),
    "003_1fc6f1a8800c4e6a.txt": ("release:mirocals-lancet-results", "en"),
    "001_3668415575477b00.txt": ("position:filslan-mirocals", "fr"),
    "002_f0775d4b0b15a149.txt": ("position:afm-telethon-mirocals", "en"),
    "004_4180fd55b73b3fa4.txt": ("position:iltoo-pharma-mirocals", "en"),
}

# Web-page furniture: not the authors' text, on no page of the site.
FURNITURE = [
    "Donate",
    "Families and researchers are counting on you",
    "Published at",
    "top of page",
    "Photo du rédacteur",
    "Maïa Klzn",
    "4 min de lecture",
    "Posts récents",
    "Voir tout",
    "The IVORY Study",
    "The IVORY study, conducted",
    "Commentaires",
    "bottom of page",
]
# Lines that are the document's kind or dateline (shown as the page's label and
# dateline fields) or its contacts block (shown as press contacts, not body).
KIND_AND_DATELINE = {
    "Communiqué de Presse",
    "Press Release",
    "Nîmes, le 12 mai 2025",
    "Nîmes, May 9th 2025",
    "9 mai 2025",
}
CONTACT_LINES = re.compile(
    r"^(Contacts presse|Michaël VIDEMENT –|\+ ?33 |Direction de la Communication"
    r"|José Achache, Chairman$)"
)


def normalise(text):
    """The documented normalisation: extraction damage undone, spaces collapsed."""
    text = text.replace("\xa0", " ")
    text = re.sub(r"^\s*•\s*", "", text)  # list bullets of the web page
    text = text.replace("IL2_{LD}", "IL-2LD").replace("IL2LD", "IL-2LD")
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    text = text.replace("\\(", "(").replace("\\)", ")").replace("**", "")
    text = text.replace('*"', '"').replace('"*', '"').replace('".*', '".')
    # 004's dateline opens its first paragraph; it is shown as the dateline.
    text = text.replace("Paris, France – May 10, 2025 – ", "")
    return re.sub(r"\s+", " ", text).strip()


def authors_lines(source):
    lines = []
    for raw in (SOURCES_DIR / source).read_text(encoding="utf-8").splitlines():
        line = normalise(raw)
        if not line or line in KIND_AND_DATELINE or CONTACT_LINES.match(line):
            continue
        if any(line.startswith(furniture) for furniture in FURNITURE):
            continue
        lines.append(line)
    return lines


def page_text(html, selector="main"):
    # Inline markup (subscript, emphasis, links) must not split words.
    html = re.sub(r"</?(sub|sup|i|b|em|strong|a|span|cite|time|wbr)\b[^>]*>", "", html)
    node = BeautifulSoup(html, "html.parser").select_one(selector)
    return re.sub(r"\s+", " ", unescape(node.get_text(" "))).strip() if node else ""


def seed_page(key):
    record = SeedRecord.objects.get(key=key)
    return Page.objects.get(pk=record.object_id).specific


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "organisations": Organisation.objects.count(),
        "records": SeedRecord.objects.count(),
    }


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_sentence_of_the_authors_is_on_its_page(seeded, client, source):
    key, language = SOURCES[source]
    response = client.get(url_in(seed_page(key), language))
    assert response.status_code == 200
    text = page_text(response.text)
    missing = [line for line in authors_lines(source) if line not in text]
    assert not missing, f"{source}: {len(missing)} lines missing, first: {missing[0]!r}"


def test_no_furniture_and_no_contacts_block_in_bodies(seeded, client):
    for key, language in set(SOURCES.values()):
        html = client.get(url_in(seed_page(key), language)).text
        whole = page_text(html, "html")
        for furniture in FURNITURE:
            assert furniture not in whole, (key, furniture)
        body = page_text(html, ".body")
        assert body, key
        for contact_text in (
            "Contacts presse",
            "michael.videment@",
            "+33 4 66 68 33 04",
            "+41 78 867 13 43",
            "+33 7 60 7657 97",
        ):
            assert contact_text not in body, (key, contact_text)


def test_contacts_are_press_contacts_of_their_items(seeded, client):
    release = seed_page("release:mirocals-lancet-results")
    html = client.get(url_in(release, "en")).text
    contacts = page_text(html, ".contacts")
    assert "Michaël VIDEMENT" in contacts and "+33 6 61 43 28 12" in contacts
    assert "direction.communication@chu-nimes.fr" in contacts
    assert contacts.count("michael.videment@chu-nimes.fr") == 1
    iltoo = seed_page("position:iltoo-pharma-mirocals")
    contacts = page_text(client.get(url_in(iltoo, "en")).text, ".contacts")
    assert "José Achache" in contacts and "Chairman" in contacts
    assert "+33 7 60 7657 97" in contacts and "+41 78 867 13 43" in contacts
    assert PressContact.objects.count() == 3
    office = seed_page("contact:chu-nimes-communication")
    card = client.get(f"/fr/vcard/{office.pk}.vcf").text
    assert "X-ABSHOWAS:COMPANY" in card.split("\r\n")
    achache = seed_page("contact:jose-achache")
    card = client.get(f"/fr/vcard/{achache.pk}.vcf").text
    assert "TITLE;LANGUAGE=en:Chairman" in card.split("\r\n")


def test_one_release_in_two_languages_each_with_its_own_date(seeded, client):
    assert PressRelease.objects.count() == 1
    release = seed_page("release:mirocals-lancet-results")
    fr = client.get(url_in(release, "fr")).text
    en = client.get(url_in(release, "en")).text
    assert url_in(release, "fr").startswith("/fr/") and url_in(
        release, "en"
    ).startswith("/en/")
    assert 'datetime="2025-05-12"' in fr and "12 mai 2025" in fr
    assert 'datetime="2025-05-09"' in en and "9 May 2025" in en
    assert "Nouvelles perspectives pour le traitement" in fr
    assert "New insights into the treatment of ALS" in en
    assert "IL-2<sub>LD</sub>" in fr and "IL-2<sub>LD</sub>" in en


def test_one_trial_that_everything_points_at(seeded, client):
    trial = Trial.objects.get()
    assert (trial.title, trial.registry_id, trial.phase) == (
        "MIROCALS",
        "NCT03039673",
        "2b",
    )
    assert (trial.participants, trial.centres) == (220, 17)
    assert trial.doi == "" and trial.publication_date is None  # no source gives them
    assert {p.trial_id for p in PartnerPosition.objects.all()} == {trial.pk}
    html = client.get(url_in(trial, "en")).text
    for organisation in (
        "Nîmes University Hospital",
        "Filière FILSLAN",
        "AFM-Téléthon",
        "ILTOO Pharma",
    ):
        assert organisation in html


def test_items_written_in_one_language_are_shown_marked_never_translated(
    seeded, client
):
    afm = seed_page("position:afm-telethon-mirocals")
    html = client.get(url_in(afm, "fr")).text
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("h1")["lang"] == "en"
    assert soup.select_one(".body")["lang"] == "en"
    assert "Publié en anglais uniquement" in html
    french_sentence = soup.select_one('.body p[lang="fr"]')
    assert french_sentence and "Les résultats de l’essai européen MIROCALS" in (
        french_sentence.text
    )
    filslan = seed_page("position:filslan-mirocals")
    html = client.get(url_in(filslan, "en")).text
    assert 'lang="fr"' in html and "Published in French only" in html
    assert filslan.body_en == "" and afm.body_fr == ""
    assert afm.source_date is None and filslan.source_date is None


def test_second_run_changes_nothing_and_says_so(seeded):
    before = counts()
    out = StringIO()
    call_command("load_seed_content", stdout=out)
    assert counts() == before
    assert "already up to date" in out.getvalue()
    assert before["records"] == 13


def test_an_editors_later_edit_is_kept_unless_forced(seeded):
    release = seed_page("release:mirocals-lancet-results")
    release.title_en = "Edited by the communications office"
    release.save_revision().publish()
    out = StringIO()
    call_command("load_seed_content", stdout=out)
    assert "kept release:mirocals-lancet-results" in out.getvalue()
    release.refresh_from_db()
    assert release.title_en == "Edited by the communications office"

    call_command("load_seed_content", "--force", stdout=StringIO())
    release.refresh_from_db()
    assert release.title_en.startswith("New insights into the treatment of ALS")


def test_an_item_deleted_by_an_editor_stays_deleted(seeded):
    seed_page("position:filslan-mirocals").delete()
    out = StringIO()
    call_command("load_seed_content", stdout=out)
    assert "not recreated position:filslan-mirocals" in out.getvalue()
    assert not SeedRecord.objects.filter(
        key="position:filslan-mirocals",
        object_id__in=PartnerPosition.objects.values("pk"),
    ).exists()
    call_command("load_seed_content", "--force", stdout=StringIO())
    assert PartnerPosition.objects.count() == 3
