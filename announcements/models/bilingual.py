"""What every translated page shares: per-language preview and reading.

Pages keep both languages side by side (``title_fr``/``title_en`` …). An item
its authors wrote in one language only is shown in that language on the other
language's site, marked as such: never machine-translated, never empty.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.url_routing import RouteResult

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class OriginalLanguageField(models.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("original language"))
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("choices", settings.LANGUAGES)
        kwargs.setdefault("default", settings.LANGUAGE_CODE)
        kwargs.setdefault(
            "help_text",
            _(
                "The language the authors wrote it in. The other language's site "
                "shows this text, marked, until the authors' translation is added."
            ),
        )
        super().__init__(**kwargs)


class Reading:
    """The text of a page as a reader of ``language`` gets it."""

    def __init__(self, page, language):
        self.page = page
        self.requested = language
        self.language = page.content_language(language)
        self.is_original_only = self.language != language

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        localized = f"{name}_{self.language}"
        if hasattr(self.page, localized):
            return getattr(self.page, localized)
        return getattr(self.page, name)

    @property
    def date(self):
        return self.page.date_in(self.language)

    @property
    def lang_attr(self):
        """``lang`` to put on elements holding text not in the page's language."""
        return self.language if self.is_original_only else ""


class BilingualPage:
    """Mixin for pages whose readable text is translated by field.

    ``content_fields`` name the fields that make an item "written" in a
    language: it is available in a language when all of them are filled.
    """

    content_fields = ("title", "body")

    def available_languages(self):
        return [
            code
            for code in LANGUAGE_CODES
            if all(
                getattr(self, f"{field}_{code}", None) for field in self.content_fields
            )
        ]

    def content_language(self, language=None):
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        available = self.available_languages()
        if language in available:
            return language
        original = getattr(self, "original_language", settings.LANGUAGE_CODE)
        if original in available or not available:
            return original
        return available[0]

    def date_in(self, language):
        """The date shown to readers of ``language``; None when unknown."""
        return None

    @property
    def kind_label(self):
        return self._meta.verbose_name

    def reading(self, language=None):
        return Reading(self, language or translation.get_language())

    # Admin preview in each language, not only the editor's.
    @property
    def preview_modes(self):
        return [(code, name) for code, name in settings.LANGUAGES]

    @property
    def default_preview_mode(self):
        return settings.LANGUAGE_CODE

    def serve_preview(self, request, mode_name):
        with translation.override(mode_name or settings.LANGUAGE_CODE):
            request.LANGUAGE_CODE = translation.get_language()
            response = super().serve_preview(request, mode_name)
            if hasattr(response, "render"):
                response.render()
        return response


def route_to_child_by_slug(self, request, path_components):
    """Find the child page by its slug in the reader's language, in the database.

    wagtail-modeltranslation's routing loads every child of a page and compares
    slugs in Python: fine for a home page, slow for an index with thousands of
    releases. A blank translated slug falls back to the French one, as in URLs.
    """
    if not path_components:
        if self.live:
            return RouteResult(self)
        raise Http404
    slug, remaining = path_components[0], path_components[1:]
    language = translation.get_language() or settings.LANGUAGE_CODE
    match = Q(**{f"slug_{language}": slug})
    if language != settings.LANGUAGE_CODE:
        blank = Q(**{f"slug_{language}__isnull": True}) | Q(**{f"slug_{language}": ""})
        match |= blank & Q(**{f"slug_{settings.LANGUAGE_CODE}": slug})
    child = self.get_children().filter(match).first()
    if child is None:
        raise Http404
    return child.specific.route(request, remaining)
