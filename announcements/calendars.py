"""Calendars (iCalendar, RFC 5545, by the ``icalendar`` library).

- Each approved journalist's own calendar of upcoming lifts: one event per
  item the journalist may read, at its embargo, titled in the journalist's
  language, linking to the item in the press area (``press.calendar``).
- Public calendars, for the site and per trial: what is already public, each
  item at the date readers see (the feeds' date), never anything embargoed.

Times are written in the newsroom's zone with its VTIMEZONE, so that calendar
applications place them right on either side of a daylight-saving change.
"""

import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wagtail.models import Page

from icalendar import Calendar, Event

from . import embargo_time
from .listing import EPOCH
from .models import AnnouncementPage, Trial

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Newsroom//Embargo calendar//EN"
PUBLIC_LIMIT = 200


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _event(uid, start, summary, url, description=""):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    # In the newsroom's zone (TZID and its VTIMEZONE), as editors set it.
    event.add("dtstart", timezone.localtime(start))
    event.add("summary", summary)
    event.add("url", url)
    if description:
        event.add("description", description)
    return event


def _ical(calendar):
    calendar.add_missing_timezones()
    return calendar.to_ical()


def journalist_calendar(request, journalist):
    """Upcoming lifts the journalist may see, in the journalist's language."""
    items = journalist.readable_items()
    pages = Page.objects.filter(pk__in=items).specific()
    with translation.override(journalist.language):
        calendar = _calendar(_("Newsroom: embargoes"))
        for page in sorted(pages, key=lambda page: items[page.pk]):
            approved = page.scheduled_revision.as_object()
            until = items[page.pk]
            url = request.build_absolute_uri(reverse("press:item", args=(page.pk,)))
            calendar.add_component(
                _event(
                    f"embargo-{page.translation_key}@newsroom",
                    until,
                    _("Embargo lifts: %(title)s")
                    % {"title": approved.reading(journalist.language).title},
                    url,
                    _("Embargoed until %(time)s: nothing of it is public before.")
                    % {"time": embargo_time.full_text(until)},
                )
            )
        return _ical(calendar)


def public_items(trial=None):
    """Live, public releases and statements (about ``trial``), newest first."""
    language = translation.get_language()
    items = []
    for model in AnnouncementPage.page_types():
        queryset = model.objects.published().for_cards()
        if trial is not None:
            queryset = queryset.about(trial)
        items += queryset.by_reader_date(language)[:PUBLIC_LIMIT]
    items.sort(key=lambda page: page.reader_datetime(language) or EPOCH, reverse=True)
    return items[:PUBLIC_LIMIT]


def public_calendar(request, name, trial=None):
    language = translation.get_language()
    calendar = _calendar(name)
    for page in public_items(trial):
        calendar.add_component(
            _event(
                f"{page.translation_key}-{language}@newsroom",
                page.reader_datetime(language),
                page.reading(language).title,
                request.build_absolute_uri(page.get_url(request=request)),
            )
        )
    return _ical(calendar)


def _public_response(body):
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    # A minute at most in any cache, as the feeds: a lift shows at once.
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def site_calendar(request):
    return _public_response(
        public_calendar(request, _("Newsroom: press releases and partner statements"))
    )


@require_GET
def trial_calendar(request, registry_id):
    trial = Trial.objects.published().filter(registry_id=registry_id).first()
    if trial is None:
        raise Http404
    name = _("Newsroom: everything about the trial %(trial)s") % {"trial": trial.title}
    return _public_response(public_calendar(request, name, trial=trial))
