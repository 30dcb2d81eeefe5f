"""What search engines and social networks read: canonical and alternate
URLs, Open Graph, and schema.org JSON-LD, per language."""

from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .models.bilingual import LANGUAGE_CODES

OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def alternate_urls(page, request):
    """``{language: absolute URL}`` of ``page`` in every language."""
    urls = {}
    for code in LANGUAGE_CODES:
        with translation.override(code):
            if request is None:
                urls[code] = page.get_full_url()
            else:
                urls[code] = request.build_absolute_uri(page.get_url(request=request))
    return urls


def _iso(value):
    return value.isoformat() if value else None


def _organisation(organisation):
    data = {"@type": "Organization", "name": organisation.name}
    if organisation.website:
        data["url"] = organisation.website
    return data


def description_of(page, language):
    if hasattr(page, "reading"):
        reading = page.reading(language)
        text = getattr(reading, "standfirst", "") or strip_tags(
            getattr(reading, "body", "") or ""
        )
    else:
        text = page.search_description or getattr(page, "intro", "") or ""
        text = strip_tags(text)
    return Truncator(" ".join(text.split())).chars(200)


def trial_data(trial, url):
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalTrial",
        "name": trial.full_name or trial.title,
        "alternateName": trial.title,
        "identifier": trial.registry_id,
        "url": url,
        "sameAs": trial.registry_url,
    }
    if trial.phase:
        data["phase"] = trial.get_phase_display()
    if trial.sponsor_id:
        data["sponsor"] = _organisation(trial.sponsor)
    if trial.doi:
        data["citation"] = trial.doi_url
    return data


def article_data(page, url, language):
    reading = page.reading(language)
    author = _organisation(page.organisation)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": Truncator(reading.title).chars(110),
        "inLanguage": reading.language,
        "url": url,
        "mainEntityOfPage": url,
        # The date the authors gave in this language, else the publication time.
        "datePublished": _iso(reading.date) or _iso(page.first_published_at),
        "dateModified": _iso(page.last_published_at or page.first_published_at),
        "author": author,
        "publisher": author
        if page.kind == "release"
        else {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME},
        "about": {
            "@type": "MedicalTrial",
            "name": page.trial.title,
            "identifier": page.trial.registry_id,
        },
    }
    description = description_of(page, language)
    if description:
        data["description"] = description
    return {key: value for key, value in data.items() if value is not None}


def page_metadata(page, request):
    """Everything the ``<head>`` of a page needs, for the active language."""
    language = translation.get_language()
    specific = page.specific
    alternates = alternate_urls(page, request)
    if hasattr(specific, "available_languages"):
        # An item its authors wrote in one language is announced in that
        # language only; its other-language page points search engines there.
        available = specific.available_languages() or [specific.content_language()]
        alternates = {
            code: url for code, url in alternates.items() if code in available
        }
    original = (
        specific.content_language(language)
        if hasattr(specific, "content_language")
        else language
    )
    canonical = alternates.get(language) or alternates.get(original)
    title = (
        specific.reading(language).title if hasattr(specific, "reading") else page.title
    )
    og_type = "article" if hasattr(specific, "organisation") else "website"
    json_ld = None
    if hasattr(specific, "kind"):
        json_ld = article_data(specific, canonical, language)
    elif hasattr(specific, "registry_id"):
        json_ld = trial_data(specific, canonical)
    return {
        "title": title,
        "description": description_of(specific, language),
        "canonical": canonical,
        "alternates": [{"code": code, "url": url} for code, url in alternates.items()],
        "x_default": alternates.get(settings.LANGUAGE_CODE) or canonical,
        "og_type": og_type,
        "og_locale": OG_LOCALES.get(language, language),
        "og_locale_alternates": [
            OG_LOCALES[code] for code in LANGUAGE_CODES if code != language
        ],
        "json_ld": json_ld,
    }
