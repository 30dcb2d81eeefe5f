from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from .listing import paginate
from .models import AnnouncementPage, Trial
from .reader_input import query_param, search_words
from .seo import view_metadata

SEARCH_LIMIT = 50
QUERY_LENGTH = 200


class SubscribeView(TemplateView):
    """Every feed of the newsroom in the reader's language, with copyable URLs."""

    template_name = "announcements/subscribe.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meta"] = view_metadata(
            self.request,
            "subscribe",
            gettext("Subscribe"),
            gettext(
                "Follow the newsroom in your feed reader: every press release and "
                "partner statement, per language or per trial."
            ),
        )
        absolute = self.request.build_absolute_uri
        context["feeds"] = [
            (kind, absolute(reverse(name)))
            for kind, name in (
                ("all", "feeds:announcements"),
                ("releases", "feeds:releases"),
                ("positions", "feeds:positions"),
            )
        ]
        context["trial_feeds"] = [
            (trial, absolute(reverse("feeds:trial", args=(trial.registry_id,))))
            for trial in Trial.objects.published().order_by("title")
        ]
        return context


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
    """Releases, statements and trials matching the reader's words."""

    template_name = "announcements/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = query_param(self.request, "q", QUERY_LENGTH)
        words = search_words(query)
        results = []
        if words:
            querysets = [
                *(
                    kind.objects.published_for_search().for_cards()
                    for kind in AnnouncementPage.page_types()
                ),
                Trial.objects.published_for_search().select_related("sponsor"),
            ]
            for queryset in querysets:
                results += list(queryset.search(words)[:SEARCH_LIMIT])
        context["query"] = query
        context["query_string"] = urlencode({"q": query}) if query else ""
        context["results"] = paginate(self.request, results)
        return context
