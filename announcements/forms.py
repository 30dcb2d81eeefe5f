"""Admin form rules for releases and statements: embargo and translations."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from . import languages
from .scheduling import reserved_address_error


class NewsroomPageForm(WagtailAdminPageForm):
    """Every page's admin form: an optional translation's title carries no
    "required" asterisk in its placeholder; a new page's addresses are free
    in its section (an existing page's own clean() says so)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in languages.CODES:
            field = self.fields.get(f"title_{code}")
            if field is not None and not field.required:
                field.widget.attrs["placeholder"] = ""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None and self.parent_page is not None:
            # A new page has no parent yet for its own clean() to ask.
            for code in languages.CODES:
                setattr(self.instance, f"slug_{code}", cleaned_data.get(f"slug_{code}"))
            for field, error in self.instance.taken_addresses(self.parent_page).items():
                if field in self.fields and not self.has_error(field):
                    self.add_error(field, error)
        return cleaned_data


class AnnouncementPageForm(NewsroomPageForm):
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
            error = reserved_address_error(self.instance, self.parent_page)
            if error is not None:
                self.add_error(None, error)
        if not self._is_going_out():
            return cleaned_data
        for field_name, language in self.instance.missing_translations(
            cleaned_data.get
        ):
            if field_name in self.fields:
                self.add_error(
                    field_name,
                    _(
                        "Required in %(language)s before review or publication: "
                        "this %(language)s version is marked as required."
                    )
                    % {"language": languages.NAMES[language]},
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
