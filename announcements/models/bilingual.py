"""What every translated page shares: per-language preview and reading.

Pages keep both languages side by side (``title_fr``/``title_en`` …). An item
its authors wrote in one language only is shown in that language on the other
language's site, marked as such: never machine-translated, never empty.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .. import languages


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
        return self.page.reader_date(self.language)

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
            for code in languages.CODES
            if all(
                getattr(self, f"{field}_{code}", None) for field in self.content_fields
            )
        ]

    def content_language(self, language=None):
        language = language or translation.get_language() or languages.DEFAULT
        available = self.available_languages()
        if language in available:
            return language
        original = getattr(self, "original_language", languages.DEFAULT)
        if original in available or not available:
            return original
        return available[0]

    def languages_announced(self):
        # An item its authors wrote in one language is announced in that
        # language only; its other-language page points search engines there.
        return self.available_languages() or [self.content_language()]

    def meta_title(self, language):
        return self.reading(language).title

    def date_in(self, language):
        """The date the authors gave for ``language``; None when they gave none."""
        return None

    def reader_date(self, language):
        """The date readers of ``language`` see; None when there is none."""
        return self.date_in(language)

    @property
    def kind_label(self):
        return self._meta.verbose_name

    def reading(self, language=None):
        return Reading(self, language or translation.get_language())

    # Admin preview in each language, not only the editor's.
    @property
    def preview_modes(self):
        return list(settings.LANGUAGES)

    @property
    def default_preview_mode(self):
        return languages.DEFAULT

    def serve_preview(self, request, mode_name):
        with translation.override(mode_name or languages.DEFAULT):
            request.LANGUAGE_CODE = translation.get_language()
            response = super().serve_preview(request, mode_name)
            if hasattr(response, "render"):
                response.render()
        return response
