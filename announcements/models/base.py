"""Abstract bases of the newsroom's page types.

``NewsroomPage`` is what every page type answers about itself: which languages
it is offered in, its canonical and alternate URLs, its description, Open Graph
type, shared picture and structured data, and its sitemap entries. Each page
type overrides what differs; nothing outside the models guesses what a page is.

``IndexPage`` is the shape of the four section pages under the home page.
"""

import re
from html import unescape

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CharField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, PageManager, PageViewRestriction, Site
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from bs4 import BeautifulSoup

from .. import languages, search, share_cards
from ..forms import NewsroomPageForm
from ..seo import with_site_name
from .institution import Institution, signature_of

ASCII_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def with_slug(language, slug):
    """Pages whose address in ``language`` is ``slug``: a blank translated
    slug falls back to the French one, as in URLs."""
    match = Q(**{f"slug_{language}": slug})
    if language != languages.DEFAULT:
        blank = Q(**{f"slug_{language}__isnull": True}) | Q(**{f"slug_{language}": ""})
        match |= blank & Q(**{f"slug_{languages.DEFAULT}": slug})
    return match


DESCRIPTION_LENGTH = 200
RICH_TEXT_FEATURES = [
    "h2",
    "h3",
    "bold",
    "italic",
    "subscript",
    "superscript",
    "ol",
    "ul",
    "link",
    "document-link",
]


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|div)>|<br\s*/?>", re.IGNORECASE)
_SENTENCE_END = tuple('.!?…:;»"”)')


def passages_by_language(html, language):
    """``[(plain text, language)]`` of rich text written in ``language``
    whose blocks may say they are in another (``<p lang="fr">``):
    consecutive blocks in the same language make one passage."""
    runs = []
    for block in BeautifulSoup(html or "", "html.parser").find_all(recursive=False):
        if not block.get_text(strip=True):
            continue
        code = block.get("lang") or language
        if runs and runs[-1][1] == code:
            runs[-1][0].append(str(block))
        else:
            runs.append(([str(block)], code))
    # Together, so that a block's end stays a sentence's end.
    return [(plain_text("".join(blocks), length=None), code) for blocks, code in runs]


def plain_text(html, length=DESCRIPTION_LENGTH):
    """One line of at most ``length`` characters (None: all) from text or rich
    text. A heading or paragraph keeps its end: one that has no closing
    punctuation gets a full stop, so it never runs into the next sentence."""
    blocks = []
    # Line breaks in the source are spaces; a block's end is a line break.
    text = unescape(strip_tags(_BLOCK_END.sub("\n", " ".join((html or "").split()))))
    for block in text.split("\n"):
        block = " ".join(block.split())
        if block:
            blocks.append(block)
    text = " ".join(
        block
        if block.endswith(_SENTENCE_END) or index == len(blocks) - 1
        else f"{block}."
        for index, block in enumerate(blocks)
    )
    return Truncator(text).chars(length) if length else text


def outside_privacy_settings():
    """A page filter: not behind a privacy setting, its own or an ancestor's.

    Wagtail's ``public()`` reads every privacy setting when the queryset is
    built, one query each time; this asks the database in the same query.
    """
    restricted = PageViewRestriction.objects.alias(
        inside=ExpressionWrapper(OuterRef("path"), output_field=CharField())
    ).filter(inside__startswith=F("page__path"))
    return ~Exists(restricted)


class NewsroomPageQuerySet(PageQuerySet):
    def published(self):
        """What the public may see: live, and not behind a privacy setting."""
        return self.live().filter(outside_privacy_settings())

    def in_newsroom(self, request):
        """Only the pages of the request's newsroom: the Wagtail site that
        answers for its host (``newsrooms``); none when no site answers."""
        site = Site.find_for_request(request)
        return self.none() if site is None else self.in_site(site)

    def published_for_search(self):
        """``published()`` in terms search backends understand (Wagtail's
        ``public()``, which reads the privacy settings first)."""
        return self.live().public()


NewsroomPageManager = PageManager.from_queryset(NewsroomPageQuerySet)


class NewsroomPage(Page):
    objects = NewsroomPageManager()
    base_form_class = NewsroomPageForm

    og_type = "website"
    # What the title is to its editors ("Name" for a contact), and its help:
    # wagtail-modeltranslation's per-language title panels drop a panel's own
    # heading, so the form labels each language's box (``NewsroomPageForm``).
    title_label = None
    title_help_text = None
    # What the page shows of its foreign keys, read with it when it is routed.
    route_related = ()
    # The admin finds a page by its title in either language.
    search_fields = [
        *Page.search_fields,
        index.AutocompleteField("title_fr"),
        index.AutocompleteField("title_en"),
        index.SearchField("search_aliases"),
    ]

    class Meta:
        abstract = True

    # wagtail-modeltranslation gives every translated page class its own
    # route(), clean() and admin form when it starts (each compares slugs
    # in Python, reading every sibling); the newsroom's pages keep those
    # they declare (``keep_declared_methods``, called once it has).
    REPLACED_BY_TRANSLATION = ("route", "clean", "base_form_class")
    _declared = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        NewsroomPage._declared[cls] = {
            name: vars(cls)[name]
            for name in NewsroomPage.REPLACED_BY_TRANSLATION
            if name in vars(cls)
        }

    @classmethod
    def keep_declared_methods(cls):
        for page_type, declared in cls._declared.items():
            for name in cls.REPLACED_BY_TRANSLATION:
                if name in declared:
                    setattr(page_type, name, declared[name])
                elif name in vars(page_type):
                    delattr(page_type, name)

    def save(self, *args, **kwargs):
        # Wagtail's admin title (``draft_title``, the explorer's and every
        # admin listing's) is written in the language of whoever saved last:
        # the newsroom keeps it in the language every page has, so that
        # listings do not switch language with each save.
        # Only where Wagtail writes it from the text being saved: a new page,
        # and ``save_revision``. (Publishing an older revision, unpublishing
        # and the scheduler keep the newer draft's.)
        update_fields = kwargs.get("update_fields")
        if (update_fields is None and self._state.adding) or (
            update_fields is not None and "draft_title" in update_fields
        ):
            self.draft_title = (
                getattr(self, f"title_{languages.DEFAULT}", None) or self.title
            )
        return super().save(*args, **kwargs)

    @classmethod
    def page_types(cls):
        """The newsroom's concrete page types of this kind."""
        return [
            model
            for model in apps.get_app_config("announcements").get_models()
            if issubclass(model, cls)
        ]

    def clean(self):
        """Addresses are ASCII in every language ("resultats", not
        "résultats"), so that links survive e-mail and copy-paste, and no two
        pages of a section share one, in either language."""
        errors = {}
        for code in languages.CODES:
            slug = getattr(self, f"slug_{code}", None)
            if slug and not ASCII_SLUG.fullmatch(slug):
                errors[f"slug_{code}"] = ValidationError(
                    _(
                        "Use only unaccented letters, digits and hyphens in the "
                        "address, for example “resultats-essai”."
                    ),
                    code="ascii_slug",
                )
        if self.path:
            errors = self.taken_addresses(self.get_parent()) | errors
        if errors:
            raise ValidationError(errors)
        # Past Page: wagtail-modeltranslation's check there loads every
        # sibling to compare slugs in Python (100,000 releases at each save).
        super(Page, self).clean()

    def taken_addresses(self, parent):
        """``{slug field: error}`` for each language in which another child of
        ``parent`` already has this page's address (asked of the database,
        through the slug indexes of migration 0022)."""
        if parent is None:
            return {}
        siblings = Page.objects.child_of(parent)
        if self.pk:
            siblings = siblings.exclude(pk=self.pk)
        errors = {}
        for code in languages.CODES:
            address = getattr(self, f"slug_{code}", None) or getattr(
                self, f"slug_{languages.DEFAULT}", None
            )
            if address and siblings.filter(with_slug(code, address)).exists():
                errors[f"slug_{code}"] = ValidationError(
                    _("Another page of this section already has this address."),
                    code="slug_in_use",
                )
        return errors

    def text_in(self, field, language):
        """A translated field's value as a reader of ``language`` sees it on
        the page: that language's text, else the fallbacks' (``shown_in``)."""
        shown = languages.shown_in(self, field, language)
        return getattr(self, f"{field}_{shown}", None) or ""

    def content_language(self, language=None):
        """The language a reader of ``language`` gets the text in."""
        return language or translation.get_language() or languages.DEFAULT

    def languages_announced(self):
        """The languages search engines are told this page exists in."""
        return list(languages.CODES)

    def alternate_urls(self, request=None):
        """``{language: absolute URL}`` in every language the page is offered in."""
        urls = {}
        for code in self.languages_announced():
            with translation.override(code):
                if request is None:
                    urls[code] = self.get_full_url()
                else:
                    urls[code] = request.build_absolute_uri(
                        self.get_url(request=request)
                    )
        return urls

    def canonical_url(self, request, language, alternates=None):
        alternates = alternates or self.alternate_urls(request)
        return alternates.get(language) or alternates[self.content_language(language)]

    def meta_title(self, language):
        return self.text_in("title", language)

    def meta_description(self, language):
        return plain_text(self.text_in("search_description", language))

    def search_aliases(self):
        """Other spellings of the codes in the page's text ("IL2" for "IL-2")."""
        names = [
            field.field_name
            for field in self.search_fields
            if isinstance(field, index.SearchField)
            and field.field_name != "search_aliases"
        ]
        return search.aliases(*(str(getattr(self, name, "") or "") for name in names))

    def excerpt_text(self, language):
        """The text a search result quotes from, in the reader's language."""
        return self.meta_description(language)

    def excerpt_passages(self, language):
        """``[(text, language it is written in)]`` a search result may quote
        from, in order: the quote carries the language of its passage."""
        return [(self.excerpt_text(language), language)]

    def document_title(self, language):
        """The browser tab's title: the page's, then the site's name."""
        return with_site_name(
            self.text_in("seo_title", language) or self.meta_title(language)
        )

    def share_image(self, request, language):
        """The picture social networks show with a link to this page, as
        ``images.shared`` describes it. Page types with a picture of their
        own (a lead image, an organisation's logo) answer first; then the
        institution's logo, else the card the newsroom draws."""
        institution = Institution.for_request_or_none(request)
        logo = institution and institution.share_logo(request, language)
        return logo or self.drawn_share_image(request, language)

    def share_card_text(self, language):
        """``(kind, title)`` on the card the newsroom draws for this page."""
        return self._meta.verbose_name, self.meta_title(language)

    def share_card_words(self, request, language):
        """``(kind, title, whose newsroom)``: the words on this page's drawn
        card, in ``language``."""
        with translation.override(language):
            kind, title = self.share_card_text(language)
            kind, title = str(capfirst(kind)), str(title)
        return kind, title, signature_of(request, language)

    def drawn_share_image(self, request, language):
        """The card drawn for this page (``share_cards``), in ``language``,
        addressed by its live revision, described by the words it shows."""
        kind, title, signature = self.share_card_words(request, language)
        with translation.override(language):
            alt = gettext("%(kind)s: %(title)s — %(newsroom)s") % {
                "kind": kind,
                "title": title,
                "newsroom": signature,
            }
            path = reverse("share_card", args=[self.pk, self.live_revision_id or 0])
        return {
            "url": request.build_absolute_uri(path),
            "width": share_cards.CARD[0],
            "height": share_cards.CARD[1],
            "alt": alt,
            "large": True,
        }

    def structured_data(self, request, language):
        """schema.org JSON-LD for this page, or None."""
        return None

    def get_view_restrictions(self):
        """The privacy settings of this page and its ancestors, in one query
        by their paths. Wagtail reads the ancestors first, to follow aliases
        to their source; the newsroom's admin makes no aliases, and an alias
        still gets Wagtail's answer."""
        if self.alias_of_id:
            return super().get_view_restrictions()
        steps = range(self.steplen, len(self.path) + 1, self.steplen)
        return PageViewRestriction.objects.filter(
            page__path__in=[self.path[:end] for end in steps]
        )

    def child_pages(self):
        """The children ``route`` looks among, with what their page needs."""
        return self.get_children()

    def route(self, request, path_components):
        """Find the child by its slug in the reader's language, in the database.

        wagtail-modeltranslation's routing loads every child and compares slugs
        in Python: fine for a home page, slow for an index of thousands of
        releases. A blank translated slug falls back to the French one, as in
        URLs. A section on the way to a deeper page is not loaded in full
        (``specific_deferred``): its own fields are not needed to route.
        """
        if not self.live:
            raise Http404  # nor any page under it
        if not path_components:
            return RouteResult(self)
        slug, remaining = path_components[0], path_components[1:]
        language = translation.get_language() or languages.DEFAULT
        child = self.child_pages().filter(with_slug(language, slug)).first()
        if child is None:
            raise Http404
        child = child.specific_deferred if remaining else child.specific
        return child.route(request, remaining)

    def get_sitemap_urls(self, request=None):
        """One entry per language the page is offered in, each naming the others."""
        alternates = self.alternate_urls(request)
        links = [
            {"lang_code": code, "location": url} for code, url in alternates.items()
        ]
        links.append(
            {
                "lang_code": "x-default",
                "location": alternates.get(languages.DEFAULT)
                or next(iter(alternates.values())),
            }
        )
        lastmod = self.last_published_at or self.latest_revision_created_at
        return [
            {"location": url, "lastmod": lastmod, "alternates": links}
            for url in alternates.values()
        ]


class IndexPage(NewsroomPage):
    """A section of the site under the home page: one of each kind."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["announcements.HomePage"]
    max_count_per_parent = 1
    # What search engines are told of the section when editors wrote no
    # introduction or search description.
    default_description = ""

    class Meta:
        abstract = True

    def meta_description(self, language):
        with translation.override(language):
            return (
                super().meta_description(language)
                or plain_text(self.text_in("intro", language))
                or str(self.default_description)
            )

    def child_pages(self):
        """Its one kind of page, read in full with the routed page in one
        query: an index may hold thousands of them."""
        (model,) = self.allowed_subpage_models()
        return model.objects.child_of(self).select_related(*model.route_related)
