"""Admin form rules for releases and statements: embargo and translations."""

import re

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.forms.models import BaseModelFormSet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.fields import RichTextField

from modelcluster.forms import ClusterForm

from . import languages
from .scheduling import reserved_address_error

BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')


def _same_rich_text(bound_field):
    """Does a rich text field hold what it showed? The editor sends back
    the text it was given with a new key on each block (and the markup
    normalised): text stored by other means (the seed, an import) reads as
    changed though nobody touched it. Both are compared as the editor
    writes them, keys aside."""
    model = bound_field.form._meta.model
    try:
        rich_text = isinstance(model._meta.get_field(bound_field.name), RichTextField)
    except FieldDoesNotExist:
        rich_text = False
    if not rich_text:
        return False
    widget = bound_field.field.widget
    name = bound_field.html_name
    shown = widget.value_from_datadict(
        {name: widget.format_value(bound_field.initial)}, {}, name
    )
    return BLOCK_KEY.sub("", shown or "") == BLOCK_KEY.sub("", bound_field.data or "")


def _compare_with_the_value_shown(form):
    for field in form.fields.values():
        field.show_hidden_initial = False
    return form


class NewsroomPageForm(WagtailAdminPageForm):
    """Every page's admin form: an optional translation's title says so in
    its placeholder, not with Wagtail's "required" asterisk (an empty title
    box is otherwise a blank gap); a new page's addresses are free in its
    section (an existing page's own clean() says so)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label = self._meta.model.title_label
        for code in languages.CODES:
            field = self.fields.get(f"title_{code}")
            if field is not None and label:
                field.label = format_lazy("{} [{}]", label, code)
                field.help_text = self._meta.model.title_help_text
            if field is not None and not field.required:
                field.widget.attrs["placeholder"] = _(
                    "Title in %(language)s, optional"
                ) % {"language": languages.NAMES[code]}
        # A field whose default is computed (a correction's date, today) is
        # compared with a hidden copy of its first value, which Wagtail's
        # panels never render: without it every such field reads as changed.
        for formset in self.formsets.values():
            for form in formset.forms:
                _compare_with_the_value_shown(form)

    @cached_property
    def changed_data(self):
        return [
            name for name in super().changed_data if not _same_rich_text(self[name])
        ]

    def has_changed(self):
        """Whether the content differs from what the form showed. A child
        (a correction, a contact) that exists only in the page's draft has
        no id: django-modelcluster reads its posted form against a blank
        one, so it always looks changed, and a reviewer's approval from the
        edit page would save a new revision and restart the review. Each
        such form is compared with the child it showed instead."""
        if super(ClusterForm, self).has_changed():
            return True
        return any(
            self._form_has_changed(formset, index, form)
            for formset in self.formsets.values()
            for index, form in enumerate(formset.forms)
        )

    @staticmethod
    def _form_has_changed(formset, index, form):
        if not form.has_changed():
            return False
        if index >= formset.initial_form_count() or form.instance.pk is not None:
            return True
        shown = formset.get_queryset()[index]
        if shown.pk is not None:
            return True
        # Wagtail's and Django's own way to build the form, with what it showed.
        as_shown = super(BaseModelFormSet, formset)._construct_form(
            index, instance=shown
        )
        return _compare_with_the_value_shown(as_shown).has_changed()

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


def is_going_out(form):
    """Is this save a submission for review or a publication? Content in
    review must stay complete, whoever saves it."""
    if form.instance.pk and form.instance.workflow_in_progress:
        return True
    return any(
        form.data.get(action)
        for action in ("action-submit", "action-publish", "action-workflow-action")
    )


class AnnouncementPageForm(NewsroomPageForm):
    """Submitting for review or publishing needs every required translation,
    and an embargo still to come."""

    def _is_going_out(self):
        return is_going_out(self)

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


class LaySummaryForm(NewsroomPageForm):
    """Submitting a lay summary for review or publishing it needs its results
    and their limits: in French, and in English once it is written in
    English."""

    def clean(self):
        cleaned_data = super().clean()
        if is_going_out(self):
            for field_name, language in self.instance.missing_sections(
                cleaned_data.get
            ):
                if field_name in self.fields:
                    self.add_error(
                        field_name,
                        _(
                            "Required in %(language)s before review or "
                            "publication: a lay summary gives its results and "
                            "their limits."
                        )
                        % {"language": languages.NAMES[language]},
                    )
        return cleaned_data
