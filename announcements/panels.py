"""Admin panels of the newsroom."""

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.functional import cached_property, lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import (
    FieldPanel,
    MultipleChooserPanel,
    Panel,
    PublishingPanel,
)
from wagtail.admin.widgets import AdminDateTimeInput

from modelcluster.forms import BaseChildFormSet

from . import embargo_time, languages


class TranslationStatusPanel(Panel):
    """Tells editors which required French or English text is still missing,
    and keeps telling them as they type (translation-status.js)."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            missing = set(self.instance.missing_translations())
            items = format_html_join(
                "",
                '<li data-needs="{}" data-required-by="requires_{}"{}>{} ({})</li>',
                (
                    (
                        f"{field}_{code}",
                        code,
                        "" if (f"{field}_{code}", code) in missing else " hidden",
                        text,
                        languages.NAMES[code],
                    )
                    for code in languages.CODES
                    for field, text in languages.REQUIRED_TEXT.items()
                ),
            )
            return format_html(
                '<div data-translation-status="{}">'
                '<p class="help-block help-info" data-complete{}>{}</p>'
                '<div class="help-block help-warning" data-missing{}><p>{}</p>'
                "<ul>{}</ul></div></div>",
                "missing" if missing else "complete",
                " hidden" if missing else "",
                _("Every required language has its headline and body."),
                "" if missing else " hidden",
                _("Still missing before review or publication:"),
                items,
            )

        @property
        def media(self):
            return forms.Media(js=["newsroom-admin/translation-status.js"])


def _in_local_time(text):
    """``text`` naming the newsroom's time zone: "Embargo (Paris time)"."""
    return lazy(lambda: str(text) % {"zone": embargo_time.zone_name()}, str)()


class EmbargoDateTimeInput(AdminDateTimeInput):
    """The date picker of the embargo dialog: it opens inside the dialog's
    flow (it pushes what follows down instead of covering the save button),
    and under the field the time is repeated with its zone and in UTC as it
    is typed."""

    def get_config(self):
        return {**super().get_config(), "insideParent": True}

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        input_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        return html + format_html(
            '<p class="embargo-time" data-embargo-time data-embargo-for="{}" '
            'data-zone="{}" data-pattern="{}" aria-live="polite"></p>',
            input_id,
            settings.TIME_ZONE,
            embargo_time.pattern(),
        )

    @property
    def media(self):
        return super().media + forms.Media(
            js=["newsroom-admin/embargo.js"],
            css={"all": ["newsroom-admin/embargo.css"]},
        )


def _embargo_widget():
    return EmbargoDateTimeInput(
        js_overlay_parent_selector="#schedule-publishing-dialog",
        attrs={
            "data-controller": "w-action",
            "data-action": "w-dialog:hidden->w-action#reset",
            "data-w-dialog-target": "notify",
        },
    )


class EmbargoPanel(PublishingPanel):
    """Wagtail's scheduling, called the embargo: the go-live time of a
    release or statement, in Paris time with its UTC equivalent."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "children",
            [
                FieldPanel(
                    "go_live_at",
                    heading=_in_local_time(_("Embargo (%(zone)s time)")),
                    help_text=_(
                        "Nothing of it is public before. Leave empty to publish as "
                        "soon as the review is approved."
                    ),
                    widget=_embargo_widget(),
                ),
                FieldPanel(
                    "expire_at",
                    heading=_in_local_time(_("Withdrawal (%(zone)s time)")),
                    help_text=_(
                        "Optional: when it leaves the public site. Usually empty."
                    ),
                    widget=_embargo_widget(),
                ),
            ],
        )
        super().__init__(**kwargs)

    class BoundPanel(PublishingPanel.BoundPanel):
        template_name = "announcements/admin/embargo_panel.html"


class RegistryPanel(Panel):
    """On a trial's edit page: the registered facts last imported from
    ClinicalTrials.gov, and the button that imports them again."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "announcements/admin/registry_panel.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["snapshot"] = self.instance.registry_snapshot
            context["import_url"] = reverse(
                "newsroom_import_registry", args=[self.instance.pk]
            )
            return context


class ContactsPanel(MultipleChooserPanel):
    """The press contacts named on a release or statement: each once, with
    a message that says so when the same contact is chosen twice."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = ContactLinksFormSet
        return options


class ContactLinksFormSet(BaseChildFormSet):
    def get_unique_error_message(self, unique_check):
        return _("This contact is already named here: choose each contact once.")


class SentBackPanel(Panel):
    """At the top of the edit page, while a review has sent the page back:
    who sent it back, from which step, when, and their comment."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "announcements/admin/sent_back_panel.html"

        @cached_property
        def sent_back(self):
            page = self.instance
            if not page.pk:
                return None
            state = page.current_workflow_state
            if state is None or state.status != state.STATUS_NEEDS_CHANGES:
                return None
            return state.current_task_state

        def is_shown(self):
            return self.sent_back is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["task_state"] = self.sent_back
            return context


class ClaimsPanel(Panel):
    """On a release's or statement's edit page: the sentences that claim
    efficacy or significance, beside the trial's primary outcome and its
    result, as the medical reviewer will check them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "announcements/admin/claims_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["claims"] = page.flagged_claims()
            context["trial"] = page.trial if page.trial_id else None
            return context


class ReadabilityPanel(Panel):
    """On a lay summary's edit page: how easy each language's text is to
    read, against the institution's target, and the jargon left in it
    (``announcements.readability``): measured on the text as saved, then
    again as the editor types (``static/js/readability.js`` posts the
    sections to ``admin_views.lay_summary_readability_view``)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "announcements/admin/readability_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["measures"] = self.instance.readability(self.request)
            return context
