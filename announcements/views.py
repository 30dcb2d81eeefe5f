from django.urls import reverse
from django.views.generic import TemplateView

from .models import Trial


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
