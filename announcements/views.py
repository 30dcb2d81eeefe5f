from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe
from django.views.generic import TemplateView

from wagtail.models import Page, Site

from . import search, share_cards
from .listing import paginate
from .models import (
    AnnouncementPage,
    Institution,
    LaySummary,
    PressContact,
    Trial,
)
from .models.announcement import corrections_about
from .models.base import outside_privacy_settings
from .models.institution import newsroom_share_image
from .models.lay_summaries import not_a_hidden_trials_summary
from .reader_input import query_param, search_words
from .seo import view_metadata


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /documents/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


class SearchView(TemplateView):
    """Releases, statements, trials and press contacts matching the reader's
    words, the best first, each with the words shown where they were found."""

    template_name = "announcements/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = query_param(self.request, "q", search.QUERY_LENGTH)
        context["query"] = query
        context["query_string"] = urlencode({"q": query}) if query else ""
        results = self.results(search_words(query))
        context["results"] = paginate(self.request, results)
        context["more_results"] = getattr(results, "more", False)
        return context

    def results(self, words):
        wanted = search.reader_query(words)
        if wanted is None:
            return []
        site = Site.find_for_request(self.request)
        if site is None:
            return []
        found = (
            Page.objects.live()
            .public()
            .in_site(site)
            .type(*SearchCards.querysets())
            .only("content_type")
            .search(wanted.query)
        )
        # One more than shown: whether there are more than the best ones.
        ranked = list(found[: search.SEARCH_LIMIT + 1])
        more = len(ranked) > search.SEARCH_LIMIT
        return SearchCards(ranked[: search.SEARCH_LIMIT], wanted.marked, more)


class SearchCards:
    """The best results, in their order, as the search page shows them: a
    page of results reads each kind it shows once, with what its cards need,
    and quotes the reader's words from each."""

    def __init__(self, ranked, words, more=False):
        self.ranked = ranked
        self.words = words
        self.more = more

    @staticmethod
    def querysets():
        """``{kind: queryset}`` of what search finds, with what its card needs
        (the search backend filters on indexed fields only: a lay summary is
        left out here while its trial is not live)."""
        return {
            **{
                kind: kind.objects.for_cards() for kind in AnnouncementPage.page_types()
            },
            Trial: Trial.objects.select_related("sponsor"),
            LaySummary: LaySummary.objects.published().select_related("trial"),
            PressContact: PressContact.objects.select_related("organisation"),
        }

    def __len__(self):
        return len(self.ranked)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        pages = self.ranked[index]
        wanted = {}
        for page in pages:
            wanted.setdefault(page.content_type_id, []).append(page.pk)
        querysets = self.querysets()
        cards = {}
        for content_type_id, pks in wanted.items():
            kind = ContentType.objects.get_for_id(content_type_id).model_class()
            cards.update(querysets[kind].in_bulk(pks))
        language = translation.get_language()
        found = [cards[page.pk] for page in pages if page.pk in cards]
        for card in found:
            card.excerpt, quoted_in = search.quote(
                card.excerpt_passages(language), self.words
            )
            # ``lang`` on the quote when it is not in the page's language.
            card.excerpt_lang = quoted_in if quoted_in != language else ""
        return found


class CorrectionsView(TemplateView):
    """Every correction the newsroom published, newest first, with the item
    it corrects and its trial; or those about one trial."""

    template_name = "announcements/corrections.html"

    def get_context_data(self, registry_id=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if registry_id is None:
            trial = None
            meta = (
                "corrections",
                gettext("Corrections"),
                gettext(
                    "Every correction made to a published press release or "
                    "partner statement, dated, newest first."
                ),
            )
        else:
            trial = Trial.objects.published().filter(registry_id=registry_id).first()
            if trial is None:
                raise Http404
            meta = (
                "trial_corrections",
                gettext("Corrections about the trial %(trial)s")
                % {"trial": trial.title},
                gettext(
                    "Every correction made to a published press release or "
                    "partner statement about the trial %(trial)s, dated, newest "
                    "first."
                )
                % {"trial": trial.title},
            )
        context["meta"] = view_metadata(
            self.request,
            *meta,
            args=(registry_id,) if trial else (),
            image=newsroom_share_image(self.request, translation.get_language()),
        )
        context["trial"] = trial
        # A trial's corrections, as its page, are every newsroom's; the
        # newsroom's list is its own.
        site = None if trial else Site.find_for_request(self.request)
        if trial is None and site is None:
            raise Http404
        context["corrections"] = paginate(
            self.request, corrections_about(trial, site=site)
        )
        return context


@require_safe
def share_card(request, page_id, revision_id):
    """The card drawn for a public page (``share_cards``), in the address's
    language; an older revision's address leads to today's card."""
    page = get_object_or_404(
        Page.objects.live().filter(
            outside_privacy_settings(), not_a_hidden_trials_summary()
        ),
        pk=page_id,
    ).specific
    language = translation.get_language()
    if page.live_revision_id != revision_id:
        return redirect(page.drawn_share_image(request, language)["url"])
    words = page.share_card_words(request, language)
    content = share_cards.cached_png(
        ("card", request.get_host(), page.pk, revision_id, *words),
        lambda: share_cards.draw_card(*words),
    )
    return share_cards.png_response(content)


@require_safe
def share_logo(request):
    """The logo the newsroom draws for itself, for pages and publishers that
    have no picture (``models.institution.newsroom_share_image``)."""
    language = translation.get_language()
    institution = Institution.for_request_or_none(request)
    name = institution.name_in(language) if institution else ""
    newsroom = gettext("Newsroom")
    content = share_cards.cached_png(
        ("logo", request.get_host(), language, name),
        lambda: share_cards.draw_logo(name or newsroom, newsroom if name else ""),
    )
    return share_cards.png_response(content)
