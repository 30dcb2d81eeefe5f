from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, TitleFieldPanel
from wagtail.models import PageManager
from wagtail.search import index

from ..listing import DIRECTORY_PAGE_SIZE, paginate
from ..validators import validate_phone
from .base import IndexPage, NewsroomPage, NewsroomPageQuerySet
from .institution import Institution


class ContactIndexPage(IndexPage):
    subpage_types = ["announcements.PressContact"]
    default_description = _(
        "Whom to call about each trial: press officers and spokespeople."
    )

    class Meta:
        verbose_name = _("press contacts directory")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        institution = Institution.for_request_or_none(request)
        context["contacts"] = paginate(
            request,
            PressContact.objects.child_of(self)
            .published()
            .in_order(own_organisation_id=institution and institution.organisation_id),
            per_page=DIRECTORY_PAGE_SIZE,
        )
        return context


class PressContactQuerySet(NewsroomPageQuerySet):
    def in_order(self, own_organisation_id=None):
        """The directory's order: the institution's own press office first
        (the organisation named in the Institution site setting), then the
        partners' by organisation; each organisation's contacts by name."""
        own = models.Case(
            models.When(organisation_id=own_organisation_id, then=0),
            default=1,
            output_field=models.IntegerField(),
        )
        return self.select_related("organisation").order_by(
            own, "organisation__name", "title"
        )


class PressContact(NewsroomPage):
    """A person or office journalists can call."""

    class Kind(models.TextChoices):
        PERSON = "person", _("A person")
        OFFICE = "office", _("An office or department")

    objects = PageManager.from_queryset(PressContactQuerySet)()

    kind = models.CharField(
        _("this contact is"),
        max_length=16,
        choices=Kind.choices,
        default=Kind.PERSON,
        help_text=_(
            "An office (“Direction de la Communication”) is saved to address "
            "books as an organisation, not as a person."
        ),
    )
    role = models.CharField(_("role"), max_length=255, blank=True)
    organisation = models.ForeignKey(
        "announcements.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="press_contacts",
    )
    phone = models.CharField(
        _("phone"), max_length=32, blank=True, validators=[validate_phone]
    )
    phone_secondary = models.CharField(
        _("second phone"), max_length=32, blank=True, validators=[validate_phone]
    )
    email = models.EmailField(_("email"), blank=True)

    content_panels = [
        TitleFieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("phone_secondary")]),
        FieldPanel("email"),
    ]
    card_template = "includes/contact_card.html"
    title_label = _("Name")
    title_help_text = _("The person's name, or the press office's, as readers see it.")
    search_fields = [
        *NewsroomPage.search_fields,
        index.SearchField("role_fr"),
        index.SearchField("role_en"),
        index.RelatedFields(
            "organisation", [index.SearchField("name_fr"), index.SearchField("name_en")]
        ),
    ]
    parent_page_types = ["announcements.ContactIndexPage"]
    route_related = ("organisation",)
    subpage_types = []

    class Meta:
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")

    @property
    def name(self):
        return self.title

    @property
    def is_office(self):
        return self.kind == self.Kind.OFFICE

    def share_image(self, request, language):
        return self.organisation.share_logo(request, language) or super().share_image(
            request, language
        )

    def share_card_text(self, language):
        with translation.override(language):
            kind = gettext("Press contact")
        role = self.text_in("role", language)
        return kind, ", ".join(part for part in (self.title, role) if part)

    def meta_description(self, language):
        role = self.text_in("role", language)
        who = ", ".join(part for part in (role, self.organisation.name) if part)
        return super().meta_description(language) or who
