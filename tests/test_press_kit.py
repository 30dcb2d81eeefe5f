"""A journalist downloads a release's press kit from its page: the release as
PDF in each of its languages, its attachments, its picture with its credit,
and whom to call, as vCards. An embargoed kit comes only through the
journalists' preview link, with the approved text."""

import datetime
import io
import zipfile
from io import StringIO

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from wagtail.documents import get_document_model

import pytest
import time_machine
import vobject
from bs4 import BeautifulSoup
from pypdf import PdfReader

from announcements.press_kit import local_fetcher
from press.models import EmbargoPreviewLink
from tests.factories import build_contact, build_position, build_release, url_in
from tests.test_images import LEAD_IMAGE, make_image

EMBARGO = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)


def words(text):
    return " ".join(text.split())


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return words(" ".join(page.extract_text() for page in reader.pages))


def page_texts(client, url):
    """The texts of the article a reader sees on the page: headline,
    standfirst, dateline, body paragraphs, credit."""
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    article = soup.find("article")
    return [
        words(element.get_text(" "))
        for element in article.find_all(["h1", "p", "figcaption", "li"])
        if words(element.get_text(" "))
    ]


def open_kit(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response)))


def illustrated_release(home, trial, go_live_at=None):
    """A release with an image, an attachment and a contact, published (or,
    with ``go_live_at``, approved and scheduled for its embargo)."""
    document = get_document_model().objects.create(
        title="Protocole", file=ContentFile(b"%PDF-1.4 protocol", name="protocole.pdf")
    )
    contact = build_contact(
        home, title_fr="Jeanne Martin", title_en="Jeanne Martin", slug_fr="jeanne"
    )
    release = build_release(
        home,
        trial,
        live=False,
        title_fr="Résultats de l’essai MIROCALS",
        title_en="MIROCALS trial results",
        slug_fr="resultats-mirocals",
        slug_en="mirocals-results",
        standfirst_fr="L’interleukine-2 à faible dose prolonge la survie.",
        standfirst_en="Low-dose interleukin-2 prolongs survival.",
        body_fr="<p>Premier paragraphe du communiqué.</p><p>Second paragraphe.</p>",
        body_en="<p>First paragraph of the release.</p><p>Second paragraph.</p>",
        lead_image=make_image(),
        **LEAD_IMAGE,
    )
    release.attachments.create(document=document)
    release.contact_links.create(contact=contact)
    release.go_live_at = go_live_at
    release.save_revision().publish()
    release.refresh_from_db()
    release.document = document
    release.contact = contact
    return release


@pytest.fixture
def release(home, trial):
    return illustrated_release(home, trial)


def test_the_release_page_links_its_press_kit_in_each_language(release, client):
    for language, label, url in (
        ("fr", "Dossier de presse", f"/fr/dossier-de-presse/{release.pk}.zip"),
        ("en", "Press kit", f"/en/press-kit/{release.pk}.zip"),
    ):
        page = client.get(url_in(release, language)).content
        link = BeautifulSoup(page, "html.parser").select_one(".press-kit-link a")
        assert (link.get_text(), link["href"]) == (label, url)


def test_the_kit_holds_the_release_as_pdf_attachments_image_and_contacts(
    release, client
):
    response = client.get(f"/fr/dossier-de-presse/{release.pk}.zip")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="dossier-de-presse-resultats-mirocals.zip"'
    )
    kit = open_kit(response)
    names = kit.namelist()
    assert sorted(names) == [
        "contacts/jeanne.vcf",
        "images/credits.txt",
        "images/resultats-mirocals.png",
        "mirocals-results-en.pdf",
        "pieces-jointes/protocole.pdf",
        "resultats-mirocals-fr.pdf",
    ]
    for language, name in (
        ("fr", "resultats-mirocals-fr.pdf"),
        ("en", "mirocals-results-en.pdf"),
    ):
        # Case aside: the print stylesheet sets the kind label in capitals.
        text = pdf_text(kit.read(name)).casefold()
        for expected in page_texts(client, url_in(release, language)):
            assert expected.casefold() in text, (language, expected)
    assert kit.read("pieces-jointes/protocole.pdf") == b"%PDF-1.4 protocol"
    with release.lead_image.file.open("rb") as original:
        assert kit.read("images/resultats-mirocals.png") == original.read()
    credits = kit.read("images/credits.txt").decode()
    assert "Crédit (fr) : © CHU de Nîmes / J. Dupont" in credits
    assert "Credit (en): © Nîmes University Hospital / J. Dupont" in credits
    assert "Légende (fr) : Le laboratoire de l’essai à Nîmes." in credits
    card = vobject.readOne(kit.read("contacts/jeanne.vcf").decode())
    assert card.fn.value == "Jeanne Martin"
    assert card.title.value == "Attachée de presse"


def structure(pdf):
    """The tagged PDF's structure tree, in reading order: ``[(role, node)]``."""
    found = []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if "/S" in node:
            found.append((str(node["/S"]), node))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid)

    walk(pdf.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_each_pdf_is_tagged_for_screen_readers(release, client):
    """PDF/UA-1: a structure tree in reading order (the headline as the one
    first-level heading, before the text's headings; paragraphs; the picture
    with its description), the document's language, and its title shown."""
    kit = open_kit(client.get(f"/fr/dossier-de-presse/{release.pk}.zip"))
    for language, name in (
        ("fr", "resultats-mirocals-fr.pdf"),
        ("en", "mirocals-results-en.pdf"),
    ):
        pdf = PdfReader(io.BytesIO(kit.read(name)))
        catalog = pdf.trailer["/Root"]
        assert bool(catalog["/MarkInfo"]["/Marked"])
        assert catalog["/Lang"] == language
        assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
        assert pdf.metadata.title.startswith(release.reading(language).title)
        assert 'pdfuaid:part="1"' in pdf.xmp_metadata.rdf_root.toxml()
        roles = [role for role, _node in structure(pdf)]
        assert roles.count("/H1") == 1
        assert roles.index("/H1") < roles.index("/H2")
        assert roles.count("/P") >= 3
        figures = [node for role, node in structure(pdf) if role == "/Figure"]
        assert [figure["/Alt"] for figure in figures] == [
            LEAD_IMAGE[f"lead_image_alt_{language}"]
        ]


def test_a_release_in_one_language_has_one_pdf(home, trial, client):
    release = build_release(
        home, trial, title_en="", body_en="", standfirst_en="", slug_fr="seul"
    )
    kit = open_kit(client.get(f"/en/press-kit/{release.pk}.zip"))
    assert [name for name in kit.namelist() if name.endswith(".pdf")] == ["seul-fr.pdf"]


def test_no_public_kit_for_a_draft_a_statement_or_an_unknown_release(
    home, trial, client
):
    draft = build_release(home, trial, live=False, title_fr="Brouillon secret")
    statement = build_position(home, trial)
    for pk in (draft.pk, statement.pk, 999999):
        for url in (f"/fr/dossier-de-presse/{pk}.zip", f"/en/press-kit/{pk}.zip"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert b"secret" not in response.content
    html = client.get(url_in(draft, "fr"))
    assert html.status_code == 404


def test_pdf_rendering_fetches_nothing_from_another_site():
    """WeasyPrint reads the site's own stylesheet and pictures from disk; an
    address on another host, or a document, is refused, never fetched."""
    fetcher = local_fetcher("testserver")
    css = fetcher.fetch("http://testserver/static/css/newsroom.css")
    assert b"@media print" in css.read()
    for url in (
        "https://cdn.example.org/static/css/newsroom.css",
        "http://testserver/documents/1/secret.pdf",
        "http://testserver/media/documents/secret.pdf",
        "http://testserver/static/../../newsroom/settings/base.py",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


class TestEmbargoedKit:
    """Before the embargo the kit is not public; the journalists' link gives
    the approved text, marked, and never kept by a cache."""

    @pytest.fixture
    def scheduled(self, home, trial):
        release = illustrated_release(home, trial, go_live_at=EMBARGO)
        assert not release.live and release.scheduled_revision
        # A later draft nobody approved.
        release.title_fr = "Brouillon non relu"
        release.title_en = "Unreviewed draft"
        release.save_revision()
        return release

    def test_refused_publicly_and_served_through_the_link(self, scheduled, client):
        for url in (
            f"/fr/dossier-de-presse/{scheduled.pk}.zip",
            f"/en/press-kit/{scheduled.pk}.zip",
        ):
            assert client.get(url).status_code == 404
        link = EmbargoPreviewLink(page=scheduled, label="Desk")
        link.full_clean()
        link.save()
        preview = client.get(link.url_in("en")).content
        href = BeautifulSoup(preview, "html.parser").select_one(".press-kit-link a")
        assert href["href"] == f"/en/embargo/{link.token}/press-kit.zip"
        response = client.get(href["href"])
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        kit = open_kit(response)
        text = pdf_text(kit.read("mirocals-results-en.pdf"))
        assert "MIROCALS trial results" in text
        assert "EMBARGOED UNTIL" in text
        assert "Unreviewed draft" not in text
        assert "pieces-jointes/protocole.pdf" not in kit.namelist()
        assert kit.read("attachments/protocole.pdf") == b"%PDF-1.4 protocol"
        french = pdf_text(kit.read("resultats-mirocals-fr.pdf"))
        assert "Résultats de l’essai MIROCALS" in french
        assert "Brouillon non relu" not in french

    def test_the_link_stops_at_the_embargo_or_when_revoked(self, scheduled, client):
        link = EmbargoPreviewLink(page=scheduled, label="Desk")
        link.full_clean()
        link.save()
        url = f"/en/embargo/{link.token}/press-kit.zip"
        link.revoked_at = timezone.now()
        link.save()
        assert client.get(url).status_code == 404
        link.revoked_at = None
        link.save()
        with time_machine.travel(EMBARGO + datetime.timedelta(seconds=1), tick=False):
            # Until the scheduler runs the release is not public: the link
            # still gives its kit; then it leads to the public one.
            assert client.get(url).status_code == 200
            call_command("publish_scheduled", stdout=StringIO())
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].endswith(f"/{scheduled.pk}.zip")


def test_the_kit_is_not_compressed_a_second_time(release, client):
    """A ZIP gains nothing from gzip: a client that accepts gzip gets the
    archive itself (pages beside it are compressed as before)."""
    gzip = {"accept-encoding": "gzip"}
    response = client.get(f"/fr/dossier-de-presse/{release.pk}.zip", headers=gzip)
    assert "Content-Encoding" not in response
    assert response.content.startswith(b"PK")
    assert "mirocals-results-en.pdf" in open_kit(response).namelist()
    page = client.get(url_in(release, "fr"), headers=gzip)
    assert page["Content-Encoding"] == "gzip"
