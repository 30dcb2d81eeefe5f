from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from . import search
from .listing import paginate
from .models import AnnouncementPage, PressContact, Trial
from .models.announcement import corrections_about
from .reader_input import query_param, search_words
from .seo import view_metadata

SEARCH_LIMIT = 50
QUERY_LENGTH = 200


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
    words, best first, each with the words shown where they were found."""

    template_name = "announcements/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = query_param(self.request, "q", QUERY_LENGTH)
        words = search_words(query)
        context["query"] = query
        context["query_string"] = urlencode({"q": query}) if query else ""
        context["results"] = paginate(self.request, self.results(words))
        return context

    def results(self, words):
        if not words:
            return []
        querysets = [
            *(
                kind.objects.published_for_search().for_cards()
                for kind in AnnouncementPage.page_types()
            ),
            Trial.objects.published_for_search().select_related("sponsor"),
            PressContact.objects.published_for_search().select_related("organisation"),
        ]
        found = []
        for queryset in querysets:
            found += queryset.search(words).annotate_score("score")[:SEARCH_LIMIT]
        found.sort(key=lambda item: item.score or 0, reverse=True)
        language = translation.get_language()
        for item in found:
            item.excerpt = search.excerpt(item.excerpt_text(language), words)
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
            self.request, *meta, args=(registry_id,) if trial else ()
        )
        context["trial"] = trial
        context["corrections"] = paginate(self.request, corrections_about(trial))
        return context
