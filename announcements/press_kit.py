"""A release's press kit: one ZIP a journalist downloads from its page.

It holds the release as PDF in each language it is published in (the page
itself, printed by WeasyPrint with the site's print stylesheet), its
attachments, its lead image with its caption and credit, and its press
contacts as vCards. A public release's kit is public; an embargoed release's
kit only comes through its journalists' preview link, with the approved text
(not a later draft), the EMBARGOED UNTIL banner, and never stored by a cache.

WeasyPrint reads the stylesheet and pictures from this site's own files
(static files, media storage): it never fetches anything over the network.
"""

import functools
import mimetypes
import posixpath
import zipfile
from io import BytesIO
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_GET

from . import languages, vcards
from .models import PressContact, PressRelease

# A public kit's PDFs are kept this long for a published revision.
PDF_CACHE_SECONDS = 600


def read_local(path):
    """The bytes of a static file or a picture of this site, by its URL path;
    ValueError for anything else (documents go through the embargo's rules)."""
    name = posixpath.normpath(path)
    if name.startswith(settings.STATIC_URL):
        relative = name.removeprefix(settings.STATIC_URL)
        found = finders.find(relative)
        if found:
            with open(found, "rb") as file:
                return file.read()
        with staticfiles_storage.open(relative) as file:
            return file.read()
    if name.startswith(settings.MEDIA_URL):
        relative = name.removeprefix(settings.MEDIA_URL)
        if relative.split("/", 1)[0] in ("images", "original_images"):
            with default_storage.open(relative) as file:
                return file.read()
    raise ValueError(f"not a static file or picture: {path}")


@functools.cache
def _fetcher_class():
    # WeasyPrint (and pango under it) is loaded when a kit is first built,
    # not with the site's URLs.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """Static and media files of this site, read from where Django keeps
        them; every other address is refused (nothing leaves the machine)."""

        def __init__(self, host):
            super().__init__(allowed_protocols={"http", "https", "data"})
            self.host = host

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            if parts.netloc != self.host:
                raise ValueError(f"not fetched, not this site's: {url}")
            path = unquote(parts.path)
            return URLFetcherResponse(
                url,
                body=read_local(path),
                headers={"Content-Type": mimetypes.guess_type(path)[0] or ""},
            )

    return LocalFetcher


def local_fetcher(host):
    """WeasyPrint's URL fetcher for a page served on ``host``."""
    return _fetcher_class()(host)


# Tagged PDF for accessibility (PDF/UA-1): a structure tree of headings,
# paragraphs, lists and figures in reading order, the document's language and
# title, which screen readers read.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(release, request, language):
    """The release page as a reader of ``language`` sees it, printed."""
    previous = getattr(request, "LANGUAGE_CODE", None)
    with translation.override(language):
        request.LANGUAGE_CODE = language
        try:
            response = release.serve(request)
            response.render()
        finally:
            request.LANGUAGE_CODE = previous
        html = response.content.decode()
    from weasyprint import HTML

    return HTML(
        string=html,
        base_url=request.build_absolute_uri("/"),
        url_fetcher=local_fetcher(request.get_host()),
    ).write_pdf(pdf_variant=PDF_VARIANT)


def public_pdf(release, request, language):
    """``render_pdf`` of a live release, kept for its published revision."""
    key = ":".join(
        str(part)
        for part in (
            "press-kit-pdf",
            release.pk,
            release.live_revision_id,
            language,
            request.get_host(),
        )
    )
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(release, request, language)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


class Kit:
    """The files of a press kit, by name, each name given once."""

    def __init__(self):
        self.files = {}

    def add(self, name, content):
        stem, extension = posixpath.splitext(name)
        number = 1
        while name in self.files:
            number += 1
            name = f"{stem}-{number}{extension}"
        self.files[name] = content
        return name

    def zip(self):
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in self.files.items():
                archive.writestr(name, content)
        return buffer.getvalue()


# Folder and file names of the kit, in the reader's language, in ASCII.
NAMES = {
    "attachments": pgettext_lazy("press kit file name", "attachments"),
    "images": pgettext_lazy("press kit file name", "images"),
    "credits": pgettext_lazy("press kit file name", "credits"),
    "contacts": pgettext_lazy("press kit file name", "contacts"),
    "press-kit": pgettext_lazy("press kit file name", "press-kit"),
    "for-patients": pgettext_lazy("press kit file name", "for-patients"),
}


def folder(name):
    return str(NAMES[name])


def document_name(document):
    """An attachment's name in the kit: its title, as editors gave it (the
    stored file's name may carry a suffix the storage added)."""
    stem = slugify(document.title) or posixpath.splitext(document.filename)[0]
    extension = document.file_extension.lower()
    return f"{stem}.{extension}" if extension else stem


def slug_in(page, language):
    return getattr(page, f"slug_{language}", None) or page.slug


def credits_text(release, image_name):
    """The lead image's caption, credit and description in each language."""
    lines = [image_name, ""]
    for code in release.available_languages() or [languages.DEFAULT]:
        with translation.override(code):
            for part, label in (
                ("caption", pgettext("press kit credits", "Caption")),
                ("credit", pgettext("press kit credits", "Credit")),
                ("alt", pgettext("press kit credits", "Description")),
            ):
                text, text_language = release.lead_image_text(part, code)
                if text:
                    if part == "credit":
                        text = f"© {text}"
                    lines.append(
                        pgettext(
                            "press kit credits", "%(label)s (%(language)s): %(text)s"
                        )
                        % {"label": label, "language": text_language, "text": text}
                    )
        lines.append("")
    return "\r\n".join(lines)


def build(release, request, pdf=render_pdf):
    """The ZIP of ``release`` (a live release, or the approved revision an
    embargo link shows), for a reader of the request's language."""
    language = translation.get_language() or languages.DEFAULT
    kit = Kit()
    for code in release.available_languages():
        kit.add(f"{slug_in(release, code)}-{code}.pdf", pdf(release, request, code))
    # The trial explained to patients, once public, in each of its languages.
    trial = release.public_trial
    summary = trial and trial.public_lay_summary
    if summary is not None:
        for code in summary.available_languages():
            kit.add(
                f"{folder('for-patients')}/{slug_in(summary, code)}-{code}.pdf",
                pdf(summary, request, code),
            )
    for attachment in release.attachments.all():
        document = attachment.document
        with document.file.open("rb") as file:
            kit.add(f"{folder('attachments')}/{document_name(document)}", file.read())
    if release.lead_image is not None:
        image = release.lead_image
        extension = posixpath.splitext(image.file.name)[1].lower()
        with image.file.open("rb") as file:
            name = kit.add(
                f"{folder('images')}/{slug_in(release, language)}{extension}",
                file.read(),
            )
        kit.add(
            f"{folder('images')}/{folder('credits')}.txt",
            credits_text(release, posixpath.basename(name)).encode(),
        )
    contact_ids = [link.contact_id for link in release.contact_links.all()]
    contacts = {
        contact.pk: contact
        for contact in PressContact.objects.published()
        .filter(pk__in=contact_ids)
        .select_related("organisation")
    }
    for contact_id in contact_ids:
        contact = contacts.get(contact_id)
        if contact is not None:
            kit.add(
                f"{folder('contacts')}/{vcards.filename(contact, language)}",
                vcards.vcard(
                    contact,
                    language,
                    url=vcards.contact_url(contact, request, language),
                ).encode(),
            )
    return kit.zip()


def zip_name(release):
    """The kit's file name, in the active language."""
    language = translation.get_language() or languages.DEFAULT
    return f"{folder('press-kit')}-{slug_in(release, language)}.zip"


def zip_response(release, content):
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{zip_name(release)}"'
    return response


@require_GET
def release_kit(request, release_id):
    """The press kit of a public release."""
    release = get_object_or_404(
        PressRelease.objects.published().select_related("lead_image"),
        pk=release_id,
    )
    return zip_response(release, build(release, request, pdf=public_pdf))
