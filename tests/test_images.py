"""Pictures: a release's lead image on its page, in both languages, and the
picture every page gives social networks and search engines: its lead image,
else its organisation's logo, else the institution's, else a card the
newsroom draws in the page's language (cached per revision)."""

import json
import re
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.urls import reverse

from wagtail.images import get_image_model
from wagtail.test.utils.form_data import querydict_from_html

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from announcements import images, share_cards
from announcements.models import Institution, PressRelease, ReleaseIndexPage
from tests.factories import (
    OrganisationFactory,
    build_position,
    build_release,
    url_in,
)

LEAD_IMAGE = {
    "lead_image_alt_fr": "Une chercheuse devant un séquenceur",
    "lead_image_alt_en": "A researcher in front of a sequencer",
    "lead_image_caption_fr": "Le laboratoire de l’essai à Nîmes.",
    "lead_image_caption_en": "The trial's laboratory in Nîmes.",
    "lead_image_credit_fr": "CHU de Nîmes / J. Dupont",
    "lead_image_credit_en": "Nîmes University Hospital / J. Dupont",
}


def make_image(title="Photo", size=(1600, 1000), colour=(30, 90, 160)):
    """A real image file in MEDIA_ROOT (media-test/ under the test settings)."""
    buffer = BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title.lower()}.png")
    )


def page_of(client, page, language):
    response = client.get(url_in(page, language))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def meta(soup, key):
    tag = soup.find("meta", attrs={"property": key}) or soup.find(
        "meta", attrs={"name": key}
    )
    return tag and tag["content"]


def json_ld(soup):
    return json.loads(soup.find("script", type="application/ld+json").string)


def rendition_file(url):
    """The file behind an absolute rendition URL, under MEDIA_ROOT."""
    path = url.removeprefix("http://testserver").removeprefix(settings.MEDIA_URL)
    return Path(settings.MEDIA_ROOT) / path


@pytest.fixture
def illustrated(home, trial):
    """A release with a 1600×1000 lead image, described in both languages,
    from an organisation with a logo."""
    organisation = OrganisationFactory(logo=make_image("Logo", size=(400, 200)))
    return build_release(
        home,
        trial,
        organisation=organisation,
        lead_image=make_image(),
        **LEAD_IMAGE,
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_release_shows_its_lead_image_described_in_the_readers_language(
    illustrated, client, language
):
    """Readers get the picture at a size their screen needs, with its
    description, caption and credit in their language."""
    figure = page_of(client, illustrated, language).find("figure", class_="lead-image")
    img = figure.find("img")
    assert img["alt"] == LEAD_IMAGE[f"lead_image_alt_{language}"]
    assert not img.get("lang")
    assert (
        figure.find(class_="caption").text
        == (LEAD_IMAGE[f"lead_image_caption_{language}"])
    )
    assert figure.find(class_="credit").text == (
        f"© {LEAD_IMAGE[f'lead_image_credit_{language}']}"
    )
    webp = figure.find("source", type="image/webp")
    assert [entry.split()[-1] for entry in webp["srcset"].split(", ")] == [
        "480w",
        "800w",
        "1200w",
    ]
    assert img["srcset"].count(".jpg") == 3 and img["src"].endswith(".jpg")
    assert img["sizes"] and webp["sizes"] == img["sizes"]
    for entry in webp["srcset"].split(", ") + img["srcset"].split(", "):
        url = entry.split()[0]
        assert url.startswith(settings.MEDIA_URL + "images/")
        assert rendition_file(url).is_file()
        assert str(settings.MEDIA_ROOT).endswith("media-test")


def test_english_reader_gets_the_french_description_marked_when_none_in_english(
    home, trial, client
):
    """An image described in French only is still described to English
    readers, in French, marked as French for screen readers."""
    release = build_release(
        home,
        trial,
        requires_en=False,
        lead_image=make_image(),
        lead_image_alt_fr="Une chercheuse",
        lead_image_caption_fr="Le laboratoire.",
    )
    soup = page_of(client, release, "en")
    figure = soup.find("figure", class_="lead-image")
    assert figure.find("img")["alt"] == "Une chercheuse"
    assert figure.find("img")["lang"] == "fr"
    assert figure.find(class_="caption")["lang"] == "fr"
    assert figure.find(class_="credit") is None
    assert meta(soup, "og:image:alt") == "Une chercheuse"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_shared_release_shows_its_lead_image(illustrated, client, language):
    """A link to the release on a social network shows the photograph, large,
    described in the reader's language, at an address that works elsewhere."""
    soup = page_of(client, illustrated, language)
    url = meta(soup, "og:image")
    assert url.startswith("http://testserver/media/images/") and url.endswith(".jpg")
    assert rendition_file(url).is_file()
    assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == (
        "1200",
        "630",
    )
    assert meta(soup, "og:image:alt") == LEAD_IMAGE[f"lead_image_alt_{language}"]
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "twitter:image") == url


def test_search_engines_get_the_article_image_in_three_shapes_and_the_logo(
    illustrated, client
):
    """Google asks for 16:9, 4:3 and 1:1 pictures of an article, at least
    1200 px wide when the original allows, and the publisher's logo."""
    data = json_ld(page_of(client, illustrated, "fr"))
    assert len(data["image"]) == 3
    sizes = []
    for url in data["image"]:
        assert url.startswith("http://testserver/media/images/")
        with PILImage.open(rendition_file(url)) as picture:
            sizes.append(picture.size)
    # The original is 1000 px high: the square is as large as it allows.
    assert sizes == [(1200, 675), (1200, 900), (1000, 1000)]
    logo = data["publisher"]["logo"]
    assert logo["@type"] == "ImageObject"
    assert logo["url"].startswith("http://testserver/media/images/")
    assert (logo["width"], logo["height"]) == (400, 200)
    assert rendition_file(logo["url"]).is_file()


def test_release_without_lead_image_is_shared_with_its_organisations_logo(
    home, trial, client
):
    organisation = OrganisationFactory(logo=make_image("Logo", size=(400, 200)))
    release = build_release(home, trial, organisation=organisation)
    soup = page_of(client, release, "en")
    assert soup.find("figure", class_="lead-image") is None
    logo_url = json_ld(soup)["publisher"]["logo"]["url"]
    assert meta(soup, "og:image") == logo_url
    assert meta(soup, "og:image:alt") == f"Logo of {organisation.name_en}"
    # A logo is not a photograph: the small card, not the large one.
    assert meta(soup, "twitter:card") == "summary"
    assert json_ld(soup)["image"] == [logo_url]
    french = page_of(client, release, "fr")
    assert meta(french, "og:image:alt") == f"Logo de {organisation.name_fr}"


def test_statement_is_shared_with_its_organisations_logo(home, trial, client):
    organisation = OrganisationFactory(logo=make_image("Logo", size=(400, 200)))
    statement = build_position(home, trial, organisation=organisation)
    soup = page_of(client, statement, "fr")
    url = meta(soup, "og:image")
    assert url.startswith("http://testserver/media/images/")
    assert json_ld(soup)["image"] == [url]
    # The newsroom publishes a statement; its organisation's logo is not the
    # publisher's: the newsroom's (drawn, without an institution's logo).
    publisher_logo = json_ld(soup)["publisher"]["logo"]["url"]
    assert publisher_logo == "http://testserver/fr/share/logo.png"


def test_no_picture_at_all_means_the_card_the_newsroom_draws(
    home, trial, client, settings
):
    """Without a lead image or a logo, the page shares a card drawn for it,
    in its language, described by what it shows; drawn once per revision,
    and a new revision is a new address."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    release = build_release(
        home, trial, title_fr="Résultats de l’essai", title_en="Trial results"
    )
    drawn = []
    real_draw = share_cards.draw_card
    share_cards.draw_card = lambda *words: drawn.append(words) or real_draw(*words)
    try:
        for language, alt in (
            ("fr", "Communiqué de presse : Résultats de l’essai — "),
            ("en", "Press release: Trial results — "),
        ):
            soup = page_of(client, release, language)
            url = meta(soup, "og:image")
            assert url == (
                f"http://testserver/{language}/share/"
                f"{release.pk}-{release.live_revision_id}.png"
            )
            assert meta(soup, "og:image:alt").startswith(alt)
            assert meta(soup, "twitter:card") == "summary_large_image"
            data = json_ld(soup)
            assert data["image"] == [url]
            assert data["publisher"]["logo"]["url"] == (
                f"http://testserver/{language}/share/logo.png"
            )
            for _again in range(2):
                picture = client.get(url)
                assert picture.status_code == 200
                assert picture["Content-Type"] == "image/png"
            with PILImage.open(BytesIO(picture.content)) as card:
                assert card.size == (1200, 630)
        assert [words[1] for words in drawn] == [
            "Résultats de l’essai",
            "Trial results",
        ]
        old = url
        release.title_en = "Trial results, corrected"
        release.save_revision().publish()
        release.refresh_from_db()
        moved = client.get(old)
        assert moved.status_code == 302
        assert moved["Location"].endswith(f"-{release.live_revision_id}.png")
        assert client.get(moved["Location"]).status_code == 200
        assert drawn[-1][1] == "Trial results, corrected"
    finally:
        share_cards.draw_card = real_draw
    assert soup.find("figure", class_="lead-image") is None


def test_the_institutions_logo_before_a_drawn_card(home, trial, client):
    institution = Institution.for_site(home.get_site())
    institution.logo = make_image("Institution", size=(300, 300))
    institution.logo_alt_fr = "Logo du CHU"
    institution.logo_alt_en = "Hospital logo"
    institution.save()
    release = build_release(home, trial)
    soup = page_of(client, release, "en")
    assert meta(soup, "og:image").startswith("http://testserver/media/images/")
    assert meta(soup, "og:image:alt") == "Hospital logo"
    assert json_ld(soup)["publisher"]["logo"]["url"] == meta(soup, "og:image")
    subscribe = BeautifulSoup(client.get("/fr/abonnement/").content, "html.parser")
    assert meta(subscribe, "og:image:alt") == "Logo du CHU"


def test_a_page_not_public_has_no_card(home, trial, client):
    draft = build_release(home, trial, live=False, title_en="Secret")
    for language in ("fr", "en"):
        response = client.get(f"/{language}/share/{draft.pk}-0.png")
        assert response.status_code == 404
    assert client.get("/fr/share/999999-1.png").status_code == 404


def test_listings_show_no_lead_image(illustrated, client):
    """Cards stay text: a listing costs no rendition per item."""
    index = ReleaseIndexPage.objects.get()
    soup = page_of(client, index, "fr")
    assert illustrated.title_fr in soup.text
    assert soup.find("picture") is None and soup.find("figure") is None


def test_deleting_the_image_leaves_the_release_without_one(illustrated, client):
    illustrated.lead_image.delete()
    release = PressRelease.objects.get(pk=illustrated.pk)
    assert release.lead_image is None
    soup = page_of(client, release, "fr")
    assert soup.find("figure", class_="lead-image") is None
    # Back to the organisation's logo.
    assert meta(soup, "twitter:card") == "summary"


def test_a_lead_image_needs_its_description_whichever_way_it_is_saved(home, trial):
    """The rule is on the model: no code path saves an undescribed image."""
    release = build_release(home, trial, requires_en=True)
    release.lead_image = make_image()
    with pytest.raises(ValidationError) as error:
        release.save_revision()
    assert set(error.value.message_dict) == {"lead_image_alt_fr", "lead_image_alt_en"}
    release.lead_image_alt_fr = "Une chercheuse"
    release.requires_en = False
    release.save_revision().publish()
    assert PressRelease.objects.get(pk=release.pk).lead_image_id is not None


@pytest.mark.parametrize(
    "requires_en, filled, missing",
    [
        (True, {}, {"fr": "français", "en": "anglais"}),
        (True, {"lead_image_alt_fr": "Une chercheuse"}, {"en": "anglais"}),
        (False, {}, {"fr": "français"}),
    ],
)
def test_admin_refuses_a_lead_image_without_its_description(
    home, trial, make_user, client, requires_en, filled, missing
):
    """The editor is told, in French, which description is missing (French
    always, English when the English version is required), and nothing is
    saved until it is there."""
    admin = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    release = build_release(home, trial)
    url = reverse("wagtailadmin_pages:edit", args=(release.pk,))
    form_page = client.get(url).text
    assert "Image principale" in form_page
    assert 'name="lead_image_alt_en"' in form_page
    data = querydict_from_html(form_page, form_id="page-edit-form")
    image = make_image()
    data["lead_image"] = str(image.pk)
    if requires_en:
        data["requires_en"] = "on"
    else:
        data.pop("requires_en", None)
    for name, value in filled.items():
        data[name] = value
    revisions = release.revisions.count()

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert sorted(errors) == sorted(f"lead_image_alt_{code}" for code in missing)
    for name in missing.values():
        assert f"Décrivez l’image en {name}" in response.text
    assert release.revisions.count() == revisions

    data["lead_image_alt_fr"] = "Une chercheuse"
    data["lead_image_alt_en"] = "A researcher"
    assert client.post(url, data).status_code == 302
    draft = PressRelease.objects.get(pk=release.pk).get_latest_revision_as_object()
    assert draft.lead_image_id == image.pk


def test_share_image_is_the_page_types_answer(illustrated, rf):
    """The metadata comes from the page types, not from templates."""
    request = rf.get("/")
    shared = illustrated.share_image(request, "en")
    assert shared["large"] and shared["alt"] == LEAD_IMAGE["lead_image_alt_en"]
    assert shared["url"] == images.absolute_url(
        illustrated.lead_image.get_rendition(images.SHARE), request
    )
    index = ReleaseIndexPage.objects.get()
    assert index.share_image(request, "en")["url"].startswith(
        f"http://testserver/en/share/{index.pk}-"
    )


def test_image_addresses_cannot_be_guessed_from_the_file_name(home, trial, client):
    """Images are served straight from media/: the lead image of an embargoed
    release must not be found by guessing its name before the lift."""
    image = make_image(title="Résultats MIROCALS")
    assert re.fullmatch(
        r"original_images/resultats_mirocals\.[0-9a-f]{16}\.png", image.file.name
    )
    rendition = image.get_rendition("width-480")
    assert re.search(r"/images/resultats_mirocals\.[0-9a-f]{16}\.", rendition.url)
    another = make_image()
    assert another.file.name != image.file.name
