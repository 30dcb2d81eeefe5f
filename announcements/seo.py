"""What the ``<head>`` of a page tells search engines and social networks.

Each page type describes itself (``NewsroomPage``: languages, canonical URL,
description, Open Graph type, shared picture, structured data); this gathers
its answers for the active language.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from . import languages


def with_site_name(title):
    """A browser tab's title: the page's, then the site's name."""
    return f"{title} · {gettext('Newsroom')}"


def _head(language, alternates, canonical, **page_says):
    """The ``<head>`` dictionary: what the page says of itself, and its
    language versions."""
    return {
        **page_says,
        "canonical": canonical,
        "alternates": [{"code": code, "url": url} for code, url in alternates.items()],
        "x_default": alternates.get(languages.DEFAULT) or canonical,
        "og_locale": languages.OG_LOCALES.get(language, language),
        "og_locale_alternates": [
            languages.OG_LOCALES[code] for code in languages.others(language)
        ],
    }


def page_metadata(page, request):
    """Everything the ``<head>`` of a page needs, for the active language."""
    language = translation.get_language()
    page = page.specific
    alternates = page.alternate_urls(request)
    return _head(
        language,
        alternates,
        page.canonical_url(request, language, alternates),
        title=page.meta_title(language),
        document_title=page.document_title(language),
        description=page.meta_description(language),
        og_type=page.og_type,
        image=page.share_image(request, language),
        json_ld=page.structured_data(request, language),
    )


def view_metadata(request, url_name, title, description, args=(), image=None):
    """The same ``<head>`` for a public page that is a view, not a Wagtail
    page (the Subscribe page): canonical URL and its translations; ``image``
    the picture it shares (the newsroom's own)."""
    language = translation.get_language()
    alternates = view_urls(url_name, request.build_absolute_uri, args)
    return _head(
        language,
        alternates,
        alternates[language],
        title=title,
        document_title=with_site_name(title),
        description=description,
        og_type="website",
        image=image,
        json_ld=None,
    )


def view_urls(url_name, absolute, args=()):
    """``{language: absolute URL}`` of a public view in every language."""
    urls = {}
    for code in languages.CODES:
        with translation.override(code):
            urls[code] = absolute(reverse(url_name, args=args))
    return urls
