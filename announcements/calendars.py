"""Calendars (iCalendar, RFC 5545, by the ``icalendar`` library).

- Public calendars, for the site and per trial: what is already public, each
  item at the date readers see (the feeds' date), never anything embargoed.

The journalists' own calendars of upcoming lifts are the press area's
(``press.calendars``), built with the same parts.

Times are written in the newsroom's zone with its VTIMEZONE, so that calendar
applications place them right on either side of a daylight-saving change.
"""

import calendar as calendar_module
import datetime
import functools
import zoneinfo

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from .models import AnnouncementPage, Trial
from .models.institution import titled_for

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Newsroom//Embargo calendar//EN"
PUBLIC_LIMIT = 200


def new_calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def event(uid, start, summary, url, description=""):
    item = Event()
    item.add("uid", uid)
    item.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    # In the newsroom's zone (TZID and its VTIMEZONE), as editors set it.
    item.add("dtstart", timezone.localtime(start))
    item.add("summary", summary)
    item.add("url", url)
    if description:
        item.add("description", description)
    return item


def to_ical(calendar):
    if calendar.walk("VEVENT"):
        calendar.add_component(zone_rules(settings.TIME_ZONE, timezone.now().year))
    return calendar.to_ical()


# The newsroom's zone as common calendar servers publish it: its standard and
# daylight-saving rules as yearly RRULEs ("the last Sunday of March"), not a
# list of dates. Parsers such as ical.js (Thunderbird, many web calendars)
# read only the first date of a list, and would apply one offset all year.
SUNDAY = 6
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@functools.cache
def zone_rules(tzid, year):
    """A VTIMEZONE for ``tzid`` from its rules in ``year``."""
    zone = zoneinfo.ZoneInfo(tzid)
    component = Timezone()
    component.add("tzid", tzid)
    changes = _changes(zone, year)
    if not changes:
        moment = datetime.datetime(year, 1, 1, tzinfo=zone)
        part = TimezoneStandard()
        part.add("dtstart", datetime.datetime(1970, 1, 1))
        part.add("tzoffsetfrom", moment.utcoffset())
        part.add("tzoffsetto", moment.utcoffset())
        part.add("tzname", moment.tzname())
        component.add_component(part)
        return component
    for when, before, after in changes:
        # The rule, as the wall clock read just before the change.
        wall = (when + before).replace(tzinfo=None)
        days_in_month = calendar_module.monthrange(wall.year, wall.month)[1]
        position = -1 if wall.day > days_in_month - 7 else (wall.day - 1) // 7 + 1
        weekday = wall.weekday()
        part = TimezoneDaylight() if after > before else TimezoneStandard()
        part.add(
            "dtstart",
            datetime.datetime.combine(
                _nth_weekday(1970, wall.month, weekday, position), wall.time()
            ),
        )
        part.add(
            "rrule",
            {
                "freq": "yearly",
                "bymonth": wall.month,
                "byday": f"{position}{WEEKDAYS[weekday]}",
            },
        )
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add(
            "tzname", (when + datetime.timedelta(hours=1)).astimezone(zone).tzname()
        )
        component.add_component(part)
    return component


def _changes(zone, year):
    """``[(moment in UTC, offset before, offset after)]`` of ``year``."""
    moment = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
    offset = moment.astimezone(zone).utcoffset()
    found = []
    while moment.year == year:
        following = moment + datetime.timedelta(days=1)
        if following.astimezone(zone).utcoffset() != offset:
            while moment.astimezone(zone).utcoffset() == offset:
                moment += datetime.timedelta(minutes=15)
            found.append((moment, offset, moment.astimezone(zone).utcoffset()))
            offset = moment.astimezone(zone).utcoffset()
        moment = following
    return found


def _nth_weekday(year, month, weekday, position):
    """The ``position``-th ``weekday`` of a month (-1: the last)."""
    days = [
        day
        for day in calendar_module.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    return days[position - 1 if position > 0 else position]


def public_items(request, trial=None):
    """Live, public releases and statements of the request's newsroom (about
    ``trial``: of every newsroom), newest first; undated statements have no
    day to be put on, and are left out."""
    language = translation.get_language()
    items = []
    for model in AnnouncementPage.page_types():
        queryset = model.objects.published().for_cards()
        if trial is not None:
            queryset = queryset.about(trial)
        else:
            queryset = queryset.in_newsroom(request)
        items += queryset.dated(language).by_reader_date(language)[:PUBLIC_LIMIT]
    items.sort(key=lambda page: page.reader_datetime(language), reverse=True)
    return items[:PUBLIC_LIMIT]


def public_calendar(request, name, trial=None):
    language = translation.get_language()
    calendar = new_calendar(name)
    for page in public_items(request, trial):
        calendar.add_component(
            event(
                f"{page.translation_key}-{language}@newsroom",
                page.reader_datetime(language),
                page.reading(language).title,
                request.build_absolute_uri(page.get_url(request=request)),
            )
        )
    return to_ical(calendar)


def _public_response(body):
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    # A minute at most in any cache, as the feeds: a lift shows at once.
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def site_calendar(request):
    return _public_response(
        public_calendar(
            request,
            titled_for(request, _("Newsroom: press releases and partner statements")),
        )
    )


@require_GET
def trial_calendar(request, registry_id):
    trial = Trial.objects.published().filter(registry_id=registry_id).first()
    if trial is None:
        raise Http404
    name = titled_for(
        request,
        _("Newsroom: everything about the trial %(trial)s") % {"trial": trial.title},
    )
    return _public_response(public_calendar(request, name, trial=trial))
