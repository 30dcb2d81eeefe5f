"""E-mail alerts, as an alternative to feeds: the reader's side.

A reader gives an address, on the Subscribe page, for every press release or
for everything about one trial, in the language of the site they are on, to
the newsroom whose host they are on (the request's Wagtail site). A message
asks them to confirm (double opt-in); nothing is sent before
(``alerts.mail``).
"""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from announcements.models import Trial
from announcements.models.institution import newsroom_share_image
from announcements.newsrooms import newsroom_of
from announcements.reader_input import query_param
from announcements.seo import view_metadata
from newsroom.rate_limits import TOO_MANY, too_many

from .mail import ask_for_confirmation
from .models import AlertSubscription


def trials_of(site):
    """The trials a newsroom offers alerts and feeds for: those it shows."""
    return Trial.objects.published().shown_in(site).order_by("title")


class AlertForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    trial = forms.ModelChoiceField(
        label=_("What to receive"),
        queryset=Trial.objects.none(),
        required=False,
        empty_label=_("Every press release"),
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trial"].queryset = trials_of(site)
        self.fields["trial"].label_from_instance = lambda trial: (
            _("Everything about the trial %(trial)s") % {"trial": trial.title}
        )


# The form carries a CSRF token, so that no other site makes its visitors'
# browsers send it: the Subscribe page sets the CSRF cookie, and the page
# cache and Varnish therefore never keep it (nor anyone's token).
@never_cache
@require_http_methods(["POST"])
def subscribe(request):
    """Asks an address to confirm; says the same whether or not it was
    already subscribed, so that the form tells nobody who reads what."""
    site = newsroom_of(request)
    form = AlertForm(request.POST, site=site)
    if form.data.get("website"):  # a field people never see: a robot
        return render(request, "alerts/check_inbox.html", {})
    if not form.is_valid():
        return render(
            request,
            "alerts/form_errors.html",
            {"alert_form": form},
            status=400,
        )
    if too_many(request, "alert-subscribe", form.cleaned_data["email"]):
        form.add_error(None, TOO_MANY)
        return render(
            request, "alerts/form_errors.html", {"alert_form": form}, status=429
        )
    language = translation.get_language()
    subscription, created = AlertSubscription.objects.get_or_create(
        site=site,
        email=form.cleaned_data["email"].lower(),
        language=language,
        trial=form.cleaned_data["trial"],
    )
    if subscription.confirmed_at is None:
        if not created:  # asked again: a fresh link
            subscription.token = AlertSubscription._meta.get_field("token").default()
            subscription.created_at = timezone.now()
            subscription.save(update_fields=["token", "created_at"])
        ask_for_confirmation(subscription)
    return render(
        request,
        "alerts/check_inbox.html",
        {"email": subscription.email},
    )


@csrf_exempt  # the token in the address is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """A page with a button, not a confirmation on opening the link: mail
    scanners open links, readers press buttons."""
    subscription = get_object_or_404(AlertSubscription, token=token)
    expired = subscription.confirmation_expired()
    if request.method == "POST" and not expired and not subscription.confirmed_at:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return _own_page(
        request,
        "alerts/confirm.html",
        {"subscription": subscription, "expired": expired},
    )


@csrf_exempt  # mail clients post the one-click unsubscribe without a form
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One click: a mail client's POST (List-Unsubscribe-Post) or the button
    of this page ends the subscription; the address is forgotten."""
    subscription = AlertSubscription.objects.filter(token=token).first()
    done = request.method == "POST"
    if done and subscription is not None:
        subscription.delete()
    return _own_page(
        request,
        "alerts/unsubscribe.html",
        {"subscription": subscription, "done": done},
    )


def _own_page(request, template, context):
    """A page about one reader's subscription: never in search engines."""
    response = render(request, template, context)
    response["X-Robots-Tag"] = "noindex"
    return response


class SubscribeView(TemplateView):
    """Every feed of the newsroom in the reader's language, with copyable URLs."""

    template_name = "alerts/subscribe.html"

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
            image=newsroom_share_image(self.request, translation.get_language()),
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
        trial = query_param(self.request, "trial", 12)
        site = newsroom_of(self.request)
        context["alert_form"] = AlertForm(
            initial={"trial": trial} if trial.isdigit() else None, site=site
        )
        # Calendars (.ics) of what is public, beside the feeds.
        context["calendar"] = absolute(reverse("calendar"))
        context["trial_feeds"] = [
            (
                trial,
                absolute(reverse("feeds:trial", args=(trial.registry_id,))),
                absolute(reverse("trial_calendar", args=(trial.registry_id,))),
            )
            for trial in trials_of(site)
        ]
        return context
