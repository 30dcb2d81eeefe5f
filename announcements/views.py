from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from .models import EmbargoPreviewLink, PartnerPosition, PressRelease, Trial
from .models.listing import paginate

SEARCH_LIMIT = 50


class SubscribeView(TemplateView):
    """Every feed of the newsroom in the reader's language, with copyable URLs."""

    template_name = "announcements/subscribe.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
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
            for trial in Trial.objects.live().public().order_by("title")
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
        query = " ".join(self.request.GET.get("q", "").split())[:200]
        results = []
        if query:
            for model, related in (
                (PressRelease, ("organisation", "trial")),
                (PartnerPosition, ("organisation", "trial")),
                (Trial, ("sponsor",)),
            ):
                queryset = model.objects.live().public().select_related(*related)
                results += list(queryset.search(query)[:SEARCH_LIMIT])
        context["query"] = query
        context["query_string"] = urlencode({"q": query}) if query else ""
        context["results"] = paginate(self.request, results)
        return context


@require_GET
def embargo_preview(request, token):
    """An embargoed item for the journalists given this link, marked as such."""
    link = EmbargoPreviewLink.objects.usable().filter(token=token).first()
    if link is None:
        raise Http404
    scheduled = link.page.specific.scheduled_revision
    if scheduled is None:  # the schedule was cancelled since
        raise Http404
    # The approved text, as it will go live: not a later, unreviewed draft.
    approved = scheduled.as_object()
    request.embargo_preview = {"link": link, "until": scheduled.approved_go_live_at}
    response = approved.serve(request)
    if hasattr(response, "render"):
        response.render()
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response
