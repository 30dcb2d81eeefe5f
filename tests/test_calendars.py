"""Calendars: a journalist's own calendar of upcoming lifts, and public
calendars of what is already published; each time right on both sides of a
daylight-saving change, read back with the icalendar library."""

import datetime
import json
import zoneinfo
from io import StringIO

from django.conf import settings
from django.core.management import call_command

import icalendar
import pytest
import time_machine

from announcements.models import Trial
from press.models import Journalist, PressAccess
from tests.clients import run_node
from tests.factories import (
    JournalistFactory,
    build_position,
    build_release,
    build_trial,
    schedule,
    url_in,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = datetime.UTC
# The last Sundays of March and October 2026: Paris moves to UTC+2 at 02:00
# on 29 March and back to UTC+1 at 03:00 on 25 October.
BEFORE_SPRING = datetime.datetime(2026, 3, 28, 10, 0, tzinfo=PARIS)
AFTER_SPRING = datetime.datetime(2026, 3, 29, 10, 0, tzinfo=PARIS)
BEFORE_AUTUMN = datetime.datetime(2026, 10, 24, 10, 0, tzinfo=PARIS)
AFTER_AUTUMN = datetime.datetime(2026, 10, 25, 10, 0, tzinfo=PARIS)


def events(response):
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def lifts(home):
    """Four releases scheduled around both changes, made on 1 March 2026."""
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        trial = build_trial(home, registry_id="NCT06666666")
        return {
            moment: schedule(
                build_release(
                    home,
                    trial,
                    live=False,
                    title_fr=f"Levée {moment:%d %B}",
                    title_en=f"Lift {moment:%d %B}",
                ),
                moment,
            )
            for moment in (BEFORE_SPRING, AFTER_SPRING, BEFORE_AUTUMN, AFTER_AUTUMN)
        }


def test_a_journalists_calendar_has_each_lift_at_its_time_across_dst(lifts, client):
    journalist = JournalistFactory(language="en")
    url = f"/fr/presse/calendrier/{journalist.calendar_token}.ics"
    with time_machine.travel(datetime.datetime(2026, 3, 2, tzinfo=UTC), tick=False):
        response = client.get(url)
    assert "no-store" in response["Cache-Control"]
    found = events(response)
    assert set(found) == {f"Embargo lifts: Lift {m:%d %B}" for m in lifts}
    utc = {
        name: event.decoded("DTSTART").astimezone(UTC) for name, event in found.items()
    }
    assert utc["Embargo lifts: Lift 28 March"] == datetime.datetime(
        2026, 3, 28, 9, 0, tzinfo=UTC
    )
    assert utc["Embargo lifts: Lift 29 March"] == datetime.datetime(
        2026, 3, 29, 8, 0, tzinfo=UTC
    )
    assert utc["Embargo lifts: Lift 24 October"] == datetime.datetime(
        2026, 10, 24, 8, 0, tzinfo=UTC
    )
    assert utc["Embargo lifts: Lift 25 October"] == datetime.datetime(
        2026, 10, 25, 9, 0, tzinfo=UTC
    )
    event = found["Embargo lifts: Lift 29 March"]
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    release = lifts[AFTER_SPRING]
    # At the journalist's newsroom's address (the first's: the admin's).
    base = settings.WAGTAILADMIN_BASE_URL
    assert str(event["URL"]) == f"{base}/en/press/{release.pk}/"


def test_a_journalists_calendar_lists_only_what_they_may_read(lifts, client):
    journalist = JournalistFactory(language="fr", all_embargoed=False)
    PressAccess.objects.create(journalist=journalist, page=lifts[AFTER_AUTUMN])
    url = f"/en/press/calendar/{journalist.calendar_token}.ics"
    with time_machine.travel(datetime.datetime(2026, 3, 29, 12, tzinfo=UTC)):
        # Titled in the journalist's language, whatever the address's.
        assert set(events(client.get(url))) == {"Levée d’embargo : Levée 25 October"}
        journalist.status = Journalist.Status.REVOKED
        journalist.save()
        assert client.get(url).status_code == 404
    assert client.get("/en/press/calendar/" + "x" * 43 + ".ics").status_code == 404


def test_a_lifted_item_stays_in_the_journalists_calendar_marked_and_public(
    lifts, client
):
    """At the lift the event stays, at its time, with the same UID (calendar
    applications update it), marked as lifted and linking to the public
    page; a month later it is gone."""
    journalist = JournalistFactory(language="en")
    url = f"/en/press/calendar/{journalist.calendar_token}.ics"
    release = lifts[BEFORE_SPRING]
    with time_machine.travel(datetime.datetime(2026, 3, 27, 12, tzinfo=UTC)):
        before = events(client.get(url))["Embargo lifts: Lift 28 March"]
    with time_machine.travel(datetime.datetime(2026, 3, 28, 12, tzinfo=UTC)):
        call_command("publish_scheduled", stdout=StringIO())
        found = events(client.get(url))
    assert set(found) == {
        "Embargo lifted: Lift 28 March",
        "Embargo lifts: Lift 29 March",
        "Embargo lifts: Lift 24 October",
        "Embargo lifts: Lift 25 October",
    }
    lifted = found["Embargo lifted: Lift 28 March"]
    assert str(lifted["UID"]) == str(before["UID"])
    assert lifted.decoded("DTSTART") == before.decoded("DTSTART")
    assert str(lifted["URL"]) == settings.WAGTAILADMIN_BASE_URL + url_in(release, "en")
    assert "Public since" in str(lifted["DESCRIPTION"])

    # Only for those who could read it: a grant elsewhere does not show it.
    other = JournalistFactory(language="en", all_embargoed=False)
    PressAccess.objects.create(journalist=other, page=lifts[AFTER_AUTUMN])
    other_url = f"/en/press/calendar/{other.calendar_token}.ics"
    with time_machine.travel(datetime.datetime(2026, 3, 28, 12, tzinfo=UTC)):
        assert set(events(client.get(other_url))) == {"Embargo lifts: Lift 25 October"}
    with time_machine.travel(datetime.datetime(2026, 4, 28, 12, tzinfo=UTC)):
        assert "Embargo lifted: Lift 28 March" not in events(client.get(url))


@pytest.fixture
def published(home):
    """A release published at each moment, undated by its authors, and a
    scheduled one that must stay out of public calendars."""
    trial = build_trial(home, registry_id="NCT07777777", title_en="PUBTRIAL")
    other = build_trial(home, registry_id="NCT08888888")
    pages = {}
    for moment in (BEFORE_SPRING, AFTER_SPRING, BEFORE_AUTUMN, AFTER_AUTUMN):
        with time_machine.travel(moment, tick=False):
            pages[moment] = build_release(
                home,
                trial,
                title_en=f"Published {moment:%d %B}",
                title_fr=f"Publié {moment:%d %B}",
                dateline_date_fr=None,
                dateline_date_en=None,
            )
    with time_machine.travel(AFTER_AUTUMN + datetime.timedelta(days=1), tick=False):
        build_position(home, other, title_en="Elsewhere", title_fr="Ailleurs")
        schedule(
            build_release(home, trial, live=False, title_en="SECRETLIFT"),
            AFTER_AUTUMN + datetime.timedelta(days=30),
        )
    return pages


def test_public_calendars_date_what_is_published_across_dst(published, client):
    with time_machine.travel(AFTER_AUTUMN + datetime.timedelta(days=2)):
        site = client.get("/en/calendar.ics")
        trial = client.get("/en/calendar/NCT07777777.ics")
        french = client.get("/fr/calendrier/NCT07777777.ics")
    assert site["Cache-Control"] == "public, max-age=60"
    found = events(trial)
    assert set(found) == {f"Published {m:%d %B}" for m in published}
    for moment, page in published.items():
        event = found[f"Published {moment:%d %B}"]
        assert event.decoded("DTSTART") == moment
        assert event.decoded("DTSTART").utcoffset() == moment.utcoffset()
        assert str(event["URL"]) == f"http://testserver{url_in(page, 'en')}"
    assert "Elsewhere" in events(site) and "Elsewhere" not in found
    assert "Publié 29 March" in events(french)
    for response in (site, trial, french):
        assert b"SECRETLIFT" not in response.content


def test_an_unpublished_trial_has_no_calendar(home, client):
    build_trial(home, registry_id="NCT09999990", live=False)
    assert client.get("/en/calendar/NCT09999990.ics").status_code == 404


def test_calendars_are_linked_from_the_trial_and_subscribe_pages(published, client):
    subscribe = client.get("/en/subscribe/").text
    assert "http://testserver/en/calendar.ics" in subscribe
    assert "http://testserver/en/calendar/NCT07777777.ics" in subscribe
    page = Trial.objects.get(registry_id="NCT07777777")
    html = client.get(url_in(page, "fr")).text
    assert 'href="/fr/calendrier/NCT07777777.ics"' in html


# An independent parser ---------------------------------------------------------


def read_with_ical_js(body):
    """``{summary: start as a UTC datetime}`` as ical.js reads ``body``."""
    output = run_node("ical_events.mjs", body)
    found = {}
    for line in output.splitlines():
        event = json.loads(line)
        found[event["summary"]] = datetime.datetime.fromisoformat(event["start"])
    return found


def test_ical_js_reads_every_lift_at_the_instant_zoneinfo_gives(lifts, home, client):
    """Thunderbird's parser, on both sides of both daylight-saving changes of
    2026 and of 2027: the zone is sent as yearly rules, not a list of dates
    of which it would read only the first."""
    # 2027 changes on 28 March and 31 October.
    later = [
        datetime.datetime(2027, 3, 27, 10, 0, tzinfo=PARIS),
        datetime.datetime(2027, 3, 29, 10, 0, tzinfo=PARIS),
        datetime.datetime(2027, 10, 30, 10, 0, tzinfo=PARIS),
        datetime.datetime(2027, 11, 1, 10, 0, tzinfo=PARIS),
    ]
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        trial = Trial.objects.get(registry_id="NCT06666666")
        for moment in later:
            schedule(
                build_release(
                    home,
                    trial,
                    live=False,
                    title_en=f"Lift {moment:%d %B %Y}",
                ),
                moment,
            )
    journalist = JournalistFactory(language="en")
    url = f"/en/press/calendar/{journalist.calendar_token}.ics"
    with time_machine.travel(datetime.datetime(2026, 3, 2, tzinfo=UTC), tick=False):
        body = client.get(url).content
    assert b"RRULE:FREQ=YEARLY" in body and b"RDATE" not in body
    read = read_with_ical_js(body)
    expected = {f"Embargo lifts: Lift {moment:%d %B}": moment for moment in lifts} | {
        f"Embargo lifts: Lift {moment:%d %B %Y}": moment for moment in later
    }
    assert set(read) == set(expected)
    for summary, moment in expected.items():
        assert read[summary] == moment.astimezone(UTC), summary
