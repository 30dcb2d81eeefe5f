"""Admin form rules for releases and statements: embargo and translations."""

from django import forms
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.forms import WagtailAdminPageForm

from .scheduling import reserved_address_error

LANGUAGE_NAMES = {
    "fr": pgettext_lazy("language name in a sentence", "French"),
    "en": pgettext_lazy("language name in a sentence", "English"),
}
REQUIRED_TEXT = {"title": _("headline"), "body": _("body")}


def missing_translations(value_of):
    """``[(field_name, language)]`` of text still empty in the languages marked
    as required; ``value_of(name)`` reads a field (of a page or a form)."""
    missing = []
    for language in ("fr", "en"):
        if not value_of(f"requires_{language}"):
            continue
        for field in REQUIRED_TEXT:
            if not strip_tags(value_of(f"{field}_{language}") or "").strip():
                missing.append((f"{field}_{language}", language))
    return missing


def incomplete_translations(page):
    return missing_translations(lambda name: getattr(page, name, ""))


class AnnouncementPageForm(WagtailAdminPageForm):
    """Submitting for review or publishing needs every required translation,
    and an embargo still to come."""

    def _is_going_out(self):
        # Content in review must stay complete, whoever saves it.
        if self.instance.pk and self.instance.workflow_in_progress:
            return True
        return any(
            self.data.get(action)
            for action in ("action-submit", "action-publish", "action-workflow-action")
        )

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None and self.parent_page is not None:
            # A new page has no parent yet for its own clean() to ask.
            self.instance.slug_fr = cleaned_data.get("slug_fr")
            self.instance.slug_en = cleaned_data.get("slug_en")
            error = reserved_address_error(self.instance, self.parent_page)
            if error is not None:
                self.add_error(None, error)
        if not self._is_going_out():
            return cleaned_data
        for field_name, language in missing_translations(cleaned_data.get):
            if field_name in self.fields:
                self.add_error(
                    field_name,
                    _(
                        "Required in %(language)s before review or publication: "
                        "this %(language)s version is marked as required."
                    )
                    % {"language": LANGUAGE_NAMES[language]},
                )
        embargo = cleaned_data.get("go_live_at")
        if embargo and embargo <= timezone.now() and "go_live_at" in self.fields:
            self.add_error(
                "go_live_at",
                forms.ValidationError(
                    _(
                        "This embargo time has already passed. Clear it to publish as "
                        "soon as the review is approved, or set a time still to come."
                    ),
                    code="embargo_in_past",
                ),
            )
        return cleaned_data
