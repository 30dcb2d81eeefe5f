"""Admin form rules for releases and statements: embargo and translations."""

from django import forms
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.forms import WagtailAdminPageForm

LANGUAGE_NAMES = {
    "fr": pgettext_lazy("language name in a sentence", "French"),
    "en": pgettext_lazy("language name in a sentence", "English"),
}
REQUIRED_TEXT = {"title": _("headline"), "body": _("body")}


def missing_translations(values, required_languages):
    """``[(field_name, language)]`` of required text still empty."""
    missing = []
    for language in required_languages:
        for field in REQUIRED_TEXT:
            if not strip_tags(values.get(f"{field}_{language}") or "").strip():
                missing.append((f"{field}_{language}", language))
    return missing


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
        if not self._is_going_out():
            return cleaned_data
        required = [
            language
            for language in ("fr", "en")
            if cleaned_data.get(f"requires_{language}")
        ]
        for field_name, language in missing_translations(cleaned_data, required):
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


def incomplete_translations(page):
    """``[(field_name, language)]`` that ``page`` lacks in its required languages."""
    required = [code for code in ("fr", "en") if getattr(page, f"requires_{code}")]
    values = {
        f"{field}_{code}": getattr(page, f"{field}_{code}", "")
        for field in REQUIRED_TEXT
        for code in ("fr", "en")
    }
    return missing_translations(values, required)
