"""The newsroom's two languages, and what "written in a language" means.

Every module that names a language, loops over languages or asks which
required text is missing reads it from here.
"""

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DEFAULT = settings.LANGUAGE_CODE
CODES = [code for code, _name in settings.LANGUAGES]
# Language names as they stand inside a sentence ("required in French").
NAMES = {
    "fr": pgettext_lazy("language name in a sentence", "French"),
    "en": pgettext_lazy("language name in a sentence", "English"),
}
OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
# Where a translated field's empty text falls back to, in order.
FALLBACKS = settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"]
# The note on an item shown on the other language's site in its original.
PUBLISHED_ONLY_IN = {
    "fr": _("Published in French only."),
    "en": _("Published in English only."),
}
# The text a release or statement needs in each language marked as required.
REQUIRED_TEXT = {"title": _("headline"), "body": _("body")}


def others(language):
    return [code for code in CODES if code != language]


def missing_translations(value_of):
    """``[(field_name, language)]`` of text still empty in the languages marked
    as required; ``value_of(name)`` reads a field (of a page or a form)."""
    missing = []
    for language in CODES:
        if not value_of(f"requires_{language}"):
            continue
        for field in REQUIRED_TEXT:
            if not strip_tags(value_of(f"{field}_{language}") or "").strip():
                missing.append((f"{field}_{language}", language))
    return missing


def shown_in(obj, field, language):
    """The language of ``obj``'s translated ``field`` as a reader of
    ``language`` sees it: that language's text, else django-modeltranslation's
    fallback (``FALLBACKS``). Templates mark text in another language than the
    page's with ``lang`` (the ``lang_attr`` tag)."""
    for code in dict.fromkeys([language, *FALLBACKS]):
        if getattr(obj, f"{field}_{code}", None):
            return code
    return language
