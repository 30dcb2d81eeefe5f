"""What press releases and partner statements share: search, admin rules,
the reader's context, and the rule that neither goes live incomplete."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page
from wagtail.search import index

from ..forms import AnnouncementPageForm, incomplete_translations
from ..scheduling import reserved_address_error
from .bilingual import BilingualPage

OTHER_STATEMENTS = 6


class AnnouncementPage(BilingualPage):
    """Mixin for ``PressRelease`` and ``PartnerPosition`` (before ``Page``)."""

    base_form_class = AnnouncementPageForm
    search_fields = [
        *Page.search_fields,
        index.AutocompleteField("title_fr"),
        index.AutocompleteField("title_en"),
        index.SearchField("title_fr", boost=2),
        index.SearchField("title_en", boost=2),
        index.SearchField("standfirst_fr"),
        index.SearchField("standfirst_en"),
        index.SearchField("body_fr"),
        index.SearchField("body_en"),
        index.FilterField("trial"),
        index.FilterField("organisation"),
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["contacts"] = [
            link.contact
            for link in self.contact_links.filter(contact__live=True).select_related(
                "contact__organisation"
            )
        ]
        # The newest few; the trial page has them all.
        context["other_statements"] = self.trial.statements(exclude=self)[
            :OTHER_STATEMENTS
        ]
        return context

    def clean(self):
        """An address a sibling's approved, scheduled revision will take is
        refused now, not at the embargo when nobody is watching."""
        super().clean()
        error = reserved_address_error(self, self.get_parent())
        if error is not None:
            raise error

    def publish(self, revision, *args, **kwargs):
        """Nothing goes live without its required languages, whichever way it
        is published (editor, workflow approval, scheduler)."""
        if incomplete_translations(revision.as_object()):
            raise PermissionDenied(
                _("A required language lacks its headline or body: not published.")
            )
        return super().publish(revision, *args, **kwargs)
