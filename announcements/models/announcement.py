"""What press releases and partner statements share.

``AnnouncementPage`` holds their common fields, panels, search fields, reader
context and metadata, and the rule that neither goes live without its required
languages. ``AnnouncementQuerySet`` says what a public list of them is;
``AnnouncementIndexPage`` lists one kind with the reader's filters.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
    TitleFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from .. import embargo_time, languages
from ..forms import AnnouncementPageForm
from ..listing import EPOCH, PAGE_SIZE, MergedByDate, paginate
from ..panels import (
    ClaimsPanel,
    ContactsPanel,
    EmbargoPanel,
    SentBackPanel,
    TranslationStatusPanel,
)
from ..reader_input import query_param
from ..review import ReviewedIndexPage, ReviewedPage
from ..scheduling import reserved_address_error
from .base import (
    RICH_TEXT_FEATURES,
    IndexPage,
    NewsroomPage,
    NewsroomPageQuerySet,
    passages_by_language,
    plain_text,
)
from .bilingual import BilingualPage, OriginalLanguageField
from .claims import ClaimsCheckedPage
from .institution import newsroom_logo
from .organisations import Organisation

OTHER_STATEMENTS = 6


class AnnouncementQuerySet(NewsroomPageQuerySet):
    def about(self, trial):
        return self.filter(trial=trial)

    def newest_first(self):
        return self.order_by("-first_published_at", "-pk")

    def by_reader_date(self, language):
        """Newest first by the date readers of ``language`` see (its stored
        moment, read through an index)."""
        return self.order_by(f"-{listed_at(language)}", "-pk")

    def dated(self, language):
        """Only items with a date readers of ``language`` see."""
        return self.filter(**{f"{listed_at(language)}__gte": DATED_FROM})

    def for_cards(self):
        """With what a card or feed item shows beside the text."""
        return self.select_related("organisation", "trial")


REQUIRED_LANGUAGE_LABELS = {
    "fr": (
        _("French version required"),
        _("Review and publication wait for the French headline and body."),
    ),
    "en": (
        _("English version required"),
        _("Review and publication wait for the English headline and body."),
    ),
}


def listed_at(language):
    """The column lists sort on: ``reader_datetime(language)``, or for an
    undated item ``undated_moment``."""
    return f"listed_at_{language if language in languages.CODES else languages.DEFAULT}"


# An item whose authors gave no date is listed after every dated one, the
# newest published here first: its sort moment is its publication here,
# counted from the first century instead of 1970.
UNDATED_ORIGIN = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)
UNIX_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
DATED_FROM = datetime.datetime(1000, 1, 1, tzinfo=datetime.UTC)


def undated_moment(published):
    return UNDATED_ORIGIN + (published - UNIX_EPOCH)


def required_language_field(language, default):
    label, help_text = REQUIRED_LANGUAGE_LABELS[language]
    return models.BooleanField(label, default=default, help_text=help_text)


class AnnouncementPage(ClaimsCheckedPage, ReviewedPage, BilingualPage, NewsroomPage):
    """A release or statement: what an organisation said about a trial."""

    title_label = _("Headline")
    title_help_text = _("As readers see it, on the page and in listings.")

    organisation = models.ForeignKey(
        "announcements.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    trial = models.ForeignKey(
        "announcements.Trial",
        verbose_name=_("trial"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    original_language = OriginalLanguageField()
    requires_fr = required_language_field("fr", default=True)
    requires_en = required_language_field("en", default=False)
    dateline_place = models.CharField(_("dateline place"), max_length=255, blank=True)
    standfirst = models.TextField(
        _("standfirst"),
        blank=True,
        help_text=_("The lead under the headline, in one or two sentences."),
    )
    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES, blank=True)
    editors_note = models.TextField(
        _("editor's note"),
        blank=True,
        help_text=_(
            "Shown to readers above the text, in the newsroom's name, e.g. “The "
            "primary endpoint was not met; see the trial record.” The authors' "
            "words are never changed."
        ),
    )

    # ``reader_datetime`` of each language, kept by ``save`` (every door that
    # publishes saves the page): lists sort on it through an index.
    listed_at_fr = models.DateTimeField(
        _("date French readers see"), null=True, editable=False
    )
    listed_at_en = models.DateTimeField(
        _("date English readers see"), null=True, editable=False
    )

    objects = PageManager.from_queryset(AnnouncementQuerySet)()

    og_type = "article"
    route_related = ("organisation__logo", "trial")
    base_form_class = AnnouncementPageForm
    card_template = "includes/announcement_card.html"
    # A partner's words are published as written: in medical review, an
    # editor's note answers a claim the reviewer cannot confirm (releases are
    # rewritten instead).
    note_answers_claims = False
    # Wagtail's scheduling is the embargo here, and the admin says so.
    uses_embargo_words = True
    settings_panels = [EmbargoPanel(), *Page.settings_panels[1:]]
    search_fields = [
        *NewsroomPage.search_fields,
        index.SearchField("title_fr", boost=2),
        index.SearchField("title_en", boost=2),
        index.SearchField("standfirst_fr"),
        index.SearchField("standfirst_en"),
        index.SearchField("body_fr"),
        index.SearchField("body_en"),
        # Readers look for a release by its trial's acronym or NCT number.
        index.SearchField("public_trial_words"),
        index.FilterField("trial"),
        index.FilterField("organisation"),
    ]
    subpage_types = []

    class Meta:
        abstract = True
        # Lists, feeds and "more about this trial" read the newest few
        # through these, in each reader's language.
        indexes = [
            models.Index(
                fields=[*keys, f"listed_at_{code}", "page_ptr"],
                name=f"%(class)s_{prefix}{code}",
            )
            for code in languages.CODES
            for keys, prefix in (((), "listed_"), (("trial",), "trial_"))
        ]

    # Dates: one rule for the page, its card, feeds and JSON-LD --------------

    def set_listed_at(self):
        """Store the moment lists sort on, in each language (``listed_at``)."""
        for code in languages.CODES:
            moment = None
            if self.first_published_at:
                moment = self.reader_datetime(code) or undated_moment(
                    self.first_published_at
                )
            setattr(self, listed_at(code), moment)

    # What ``listed_at`` is read from. A save of other fields only (Wagtail's
    # ``save_revision`` writes the draft's bookkeeping onto the live row)
    # leaves it as the published text set it.
    LISTED_FROM = {
        "first_published_at",
        "go_live_at",
        "source_date",
        *(f"dateline_date_{code}" for code in languages.CODES),
    }

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.set_listed_at()
        elif self.LISTED_FROM & set(update_fields):
            self.set_listed_at()
            kwargs["update_fields"] = {
                *update_fields,
                *(listed_at(code) for code in languages.CODES),
            }
        return super().save(*args, **kwargs)

    def publication_time(self):
        """When it went or goes public: its first publication, else (an
        embargoed item in preview) its embargo, else (a draft in preview)
        now, as if it were published at once."""
        return self.first_published_at or self.go_live_at or timezone.now()

    # The newsroom's own items are dated by their publication when their
    # dateline gives no date; another organisation's only by its own date.
    dated_by_publication = True

    def reader_date(self, language):
        """The date readers of ``language`` see: the authors' own date for
        that language (else for the other), else, for the newsroom's own
        items, the day it was first published on this site (its embargo day
        when it had one), in the newsroom's time zone (Paris); else None
        (undated: shown as such, listed after dated items)."""
        date = self.date_in(language)
        if date is None and self.dated_by_publication:
            date = timezone.localdate(self.publication_time())
        return date

    def reader_datetime(self, language):
        """``reader_date`` as a moment, for feeds and JSON-LD: the moment of
        publication when it fell on that day, else the start of that day."""
        date = self.reader_date(language)
        if date is None:
            return None
        published = self.publication_time()
        if timezone.localdate(published) == date:
            return timezone.localtime(published)
        return timezone.make_aware(datetime.datetime.combine(date, datetime.time()))

    @property
    def status_string(self):
        """The admin listings' status, with the embargo in the editors' words.
        The explorer reads each row's embargo with it (``_embargo_until``)."""
        if hasattr(self, "_embargo_until"):
            embargo = self._embargo_until
        else:
            scheduled = self.approved_schedule and self.scheduled_revision
            embargo = scheduled and scheduled.approved_go_live_at
        if not embargo:
            return super().status_string
        until = embargo_time.local_text(embargo)
        if self.live:
            return _("live + change embargoed until %(time)s") % {"time": until}
        return _("embargoed until %(time)s") % {"time": until}

    def has_editors_note(self):
        return any(
            (getattr(self, f"editors_note_{code}", "") or "").strip()
            for code in languages.CODES
        )

    # Publication rule ---------------------------------------------------------

    def missing_translations(self, value_of=None):
        """``[(field_name, language)]`` of required text still empty, in this
        page or in the values ``value_of(name)`` reads (an edit form's)."""
        return languages.missing_translations(
            value_of or (lambda name: getattr(self, name, ""))
        )

    def publish(self, revision, *args, user=None, **kwargs):
        """Nothing goes live without its required languages, whichever way it
        is published (editor, workflow approval, scheduler); the claims rule
        at publication is ``ClaimsCheckedPage.publish``'s."""
        if revision.as_object().missing_translations():
            raise PermissionDenied(
                _("A required language lacks its headline or body: not published.")
            )
        return super().publish(revision, *args, user=user, **kwargs)

    def clean(self):
        """An address a sibling's approved, scheduled revision will take is
        refused now, not at the embargo when nobody is watching."""
        super().clean()
        error = reserved_address_error(self, self.get_parent())
        if error is not None:
            raise error
        named = [link.contact for link in self.contact_links.all() if link.contact_id]
        twice = {contact for contact in named if named.count(contact) > 1}
        if twice:
            raise ValidationError(
                _("Named more than once among the press contacts: %(names)s. Keep one.")
                % {"names": ", ".join(sorted(str(contact) for contact in twice))}
            )

    # Reading ------------------------------------------------------------------

    @cached_property
    def public_trial(self):
        """The trial as readers may see it: nothing of a record that is not
        live (its title, number and result are still under review)."""
        return self.trial if self.trial.live else None

    def public_trial_words(self):
        """The trial's acronym and registry number, in both languages, for
        search: a draft record's words are not searchable through its items
        (they are indexed again when it goes live: ``signal_handlers``)."""
        trial = self.public_trial
        if trial is None:
            return ""
        titles = (getattr(trial, f"title_{code}") for code in languages.CODES)
        return " ".join(
            dict.fromkeys(word for word in (trial.registry_id, *titles) if word)
        )

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

    # Metadata -----------------------------------------------------------------

    def meta_description(self, language):
        reading = self.reading(language)
        return (
            super().meta_description(language)
            or plain_text(reading.standfirst)
            or plain_text(reading.body)
        )

    def excerpt_passages(self, language):
        reading = self.reading(language)
        standfirst = format_html("<p>{}</p>", reading.standfirst or "")
        return passages_by_language(standfirst + reading.body, reading.language)

    def publisher_schema(self, request, language):
        """Who publishes the text on this site, for JSON-LD, with a logo:
        its own, else the newsroom's."""
        publisher = self.organisation.as_schema(language, request)
        publisher.setdefault("logo", newsroom_logo(request, language))
        return publisher

    def author_schema(self, request, language):
        """Who wrote it, for JSON-LD: its website, else its items here."""
        author = self.organisation.as_schema(language)
        if "url" not in author:
            # Its list, filtered: the parent's address is this page's without
            # its last segment (Wagtail's url_path), read without a query.
            with translation.override(language):
                url = self.get_url(request=request)
            listing = url[: url.rstrip("/").rfind("/") + 1]
            query = urlencode({"organisation": self.organisation.slug})
            author["url"] = request.build_absolute_uri(f"{listing}?{query}")
        return author

    def share_image(self, request, language):
        # A statement has no picture of its own: its organisation's logo.
        return self.organisation.share_logo(request, language) or super().share_image(
            request, language
        )

    def share_card_text(self, language):
        return str(self.kind_label), self.reading(language).title

    def schema_images(self, request, language):
        """Absolute URLs of the article's pictures, for JSON-LD: the picture
        it shares."""
        return [self.share_image(request, language)["url"]]

    def structured_data(self, request, language):
        reading = self.reading(language)
        url = self.canonical_url(request, language)
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": Truncator(reading.title).chars(110),
            "inLanguage": reading.language,
            "url": url,
            "mainEntityOfPage": url,
            "datePublished": _iso(self.reader_datetime(reading.language)),
            "dateModified": _iso(
                self.last_published_at and timezone.localtime(self.last_published_at)
            ),
            "author": self.author_schema(request, language),
            "publisher": self.publisher_schema(request, language),
            "image": self.schema_images(request, language),
            "about": self.public_trial and self.public_trial.as_schema_reference(),
            "description": self.meta_description(language),
            "correction": [c.as_schema() for c in self.public_corrections()],
        }
        return {key: value for key, value in data.items() if value}

    def public_corrections(self):
        """Its corrections, newest first, as published (the live page's rows;
        a draft's are in its revision), read once per page object."""
        if not hasattr(self, "_public_corrections"):
            self._public_corrections = list(self.corrections.all())
        return self._public_corrections


def _iso(value):
    return value.isoformat() if value else None


# Headings of the per-language fields laid out side by side in the form.
PLACE_IN = {
    "fr": pgettext_lazy("dateline field", "Place, in French"),
    "en": pgettext_lazy("dateline field", "Place, in English"),
}
DATE_DEFAULT_HELP = _("Leave empty: readers see the day it goes public (Paris time).")
DATE_IN = {
    "fr": pgettext_lazy("dateline field", "Date, in French"),
    "en": pgettext_lazy("dateline field", "Date, in English"),
}


def announcement_panels(dating, extra=(), illustration=()):
    """The editor's form of a release or statement; ``illustration`` follows
    the standfirst, ``dating`` says when and where it was issued, ``extra``
    follows the contacts."""
    return [
        SentBackPanel(),
        TitleFieldPanel("title"),
        # One or two sentences: a box that size, which grows as it is filled.
        FieldPanel("standfirst", widget=forms.Textarea(attrs={"rows": 2})),
        *illustration,
        dating,
        FieldPanel("body"),
        FieldRowPanel(
            [
                PageChooserPanel("trial", "announcements.Trial"),
                FieldPanel("organisation"),
                FieldPanel("original_language"),
            ]
        ),
        MultiFieldPanel(
            [
                TranslationStatusPanel(),
                FieldRowPanel([FieldPanel("requires_fr"), FieldPanel("requires_en")]),
            ],
            heading=_("Languages"),
        ),
        MultiFieldPanel(
            [
                ClaimsPanel(),
                FieldPanel("editors_note", widget=forms.Textarea(attrs={"rows": 2})),
            ],
            heading=_("Claims check"),
        ),
        InlinePanel(
            "corrections",
            heading=_("Corrections"),
            label=_("Correction"),
            help_text=_(
                "For a published text: say what was corrected, dated; correct the "
                "text itself above. It goes through review like any change."
            ),
        ),
        ContactsPanel(
            "contact_links",
            chooser_field_name="contact",
            heading=_("Press contacts"),
            label=_("Contact"),
        ),
        *extra,
    ]


class ContactLink(Orderable):
    """A press contact named on a release or statement."""

    contact = models.ForeignKey(
        "announcements.PressContact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("contact", "announcements.PressContact")]

    class Meta(Orderable.Meta):
        abstract = True
        # A contact is named once on an item (autosave could add one twice).
        constraints = [
            models.UniqueConstraint(
                fields=["page", "contact"], name="%(app_label)s_%(class)s_once"
            )
        ]


class Correction(Orderable):
    """A dated correction of a published release or statement, in French and
    English. It is part of the page, so it goes through the same review; the
    text as first published stays in the page's revisions."""

    date = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(
        _("correction"),
        blank=True,
        help_text=_(
            "What was wrong and what is right, e.g. “An earlier version gave 304 "
            "participants; 220 were randomised.” Shown above the text, on the "
            "trial's page and in the corrections list."
        ),
    )

    panels = [FieldPanel("date"), FieldPanel("note_fr"), FieldPanel("note_en")]

    class Meta(Orderable.Meta):
        abstract = True
        ordering = ["-date", "sort_order"]

    def clean(self):
        super().clean()
        if not (getattr(self, f"note_{languages.DEFAULT}", "") or "").strip():
            raise ValidationError(
                {f"note_{languages.DEFAULT}": _("Say what was corrected, in French.")}
            )

    def as_schema(self):
        return {
            "@type": "CorrectionComment",
            "text": self.note,
            "datePublished": self.date.isoformat(),
        }


def with_latest_correction(queryset, language):
    """Each item with its latest correction's date and note in ``language``
    (else French), read in the same query, for cards on the trial page."""
    model = queryset.model._meta.get_field("corrections").related_model
    latest = model.objects.filter(page=OuterRef("pk")).order_by("-date", "sort_order")
    text = models.TextField()
    note = Coalesce(
        NullIf(F(f"note_{language}"), Value(""), output_field=text),
        F("note_fr"),
        output_field=text,
    )
    return queryset.annotate(
        corrected_on=Subquery(latest.values("date")[:1]),
        correction_note=Subquery(latest.annotate(text=note).values("text")[:1]),
    )


def statements_about(trial, exclude=None):
    """Live releases and statements about ``trial``, newest first by the date
    readers see, as a lazy sequence: a slice reads only the rows it shows."""
    language = translation.get_language() or languages.DEFAULT
    kinds = []
    for kind in AnnouncementPage.page_types():
        filtered = kind.objects.published().about(trial)
        if exclude is not None:
            filtered = filtered.exclude(pk=exclude.pk)
        shown = with_latest_correction(
            filtered.select_related("organisation"), language
        )
        kinds.append((filtered, shown))
    return MergedByDate(kinds, field=listed_at(language))


def corrections_about(trial=None, site=None):
    """Corrections of live, public releases and statements (about ``trial``,
    of ``site``'s newsroom), newest first: one query per kind, with the item
    each corrects."""
    found = []
    for kind in AnnouncementPage.page_types():
        pages = kind.objects.published()
        if trial is not None:
            pages = pages.about(trial)
        if site is not None:
            pages = pages.in_site(site)
        model = kind._meta.get_field("corrections").related_model
        found += model.objects.filter(page__in=pages).select_related(
            "page", "page__trial"
        )
    found.sort(key=lambda c: (c.date, c.page.first_published_at or EPOCH), reverse=True)
    return found


class AnnouncementIndexPage(ReviewedIndexPage, IndexPage):
    """The list of one kind of announcement, filtered by trial and organisation."""

    empty_listing_text = ""
    per_page = PAGE_SIZE

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        return "announcements/announcement_index_page.html"

    @property
    def item_model(self):
        return self.allowed_subpage_models()[0]

    def filters(self, request):
        """``?trial=`` (registry ID) and ``?organisation=`` (slug), cleaned;
        unknown values simply match nothing."""
        return {
            "trial": query_param(request, "trial", 32),
            "organisation": query_param(request, "organisation", 64),
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = self.filters(request)
        items = (
            self.item_model.objects.child_of(self)
            .published()
            .for_cards()
            .by_reader_date(translation.get_language() or languages.DEFAULT)
        )
        if filters["trial"]:
            items = items.filter(trial__registry_id=filters["trial"])
        if filters["organisation"]:
            items = items.filter(organisation__slug=filters["organisation"])
        published = self.item_model.objects.child_of(self).published()
        context.update(
            items=paginate(request, items, per_page=self.per_page),
            filters=filters,
            query_string=urlencode(
                {key: value for key, value in filters.items() if value}
            ),
            # Per trial and organisation, one look into an index for an item.
            trial_choices=self.item_model.trial.field.related_model.objects.published()
            .filter(Exists(published.filter(trial=OuterRef("pk"))))
            .order_by("title")
            .values_list("registry_id", "title"),
            organisation_choices=Organisation.objects.filter(
                Exists(published.filter(organisation=OuterRef("pk")))
            ),
        )
        return context
