"""How the admin states an embargo time, in the editors' words.

An embargo is Wagtail's go-live time (``go_live_at``), stored in UTC and
entered in the newsroom's time zone (``TIME_ZONE``, Paris). Everywhere the
admin shows one (the embargo dialog, the status panel, listings, the review
buttons and their confirmations, notification e-mails) it names the zone and
gives the UTC equivalent, so that nobody has to guess which clock is meant.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# "j F Y, H:i": 12 May 2025, 07:00 / 12 mai 2025, 07:00 (months translated).
DATE_TIME = "j F Y, H:i"


def zone_name():
    """The newsroom's time zone as editors say it: "Paris" for Europe/Paris."""
    return settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ")


def utc_offset(value):
    """``UTC+2`` in summer, ``UTC+1`` in winter (Paris)."""
    offset = timezone.localtime(value).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def local_text(value):
    """ "12 May 2025, 07:00 (Paris)": the time as editors set it."""
    return _("%(time)s (%(zone)s)") % {
        "time": date_format(timezone.localtime(value), DATE_TIME),
        "zone": zone_name(),
    }


def utc_text(value):
    """ "05:00 UTC" (with the date when it differs from the local one)."""
    local = timezone.localtime(value)
    utc = timezone.localtime(value, datetime.UTC)
    shown = "H:i" if utc.date() == local.date() else DATE_TIME
    return f"{date_format(utc, shown)} UTC"


def _full(time, offset, utc):
    return _("%(time)s (%(zone)s, %(offset)s), that is %(utc)s") % {
        "time": time,
        "zone": zone_name(),
        "offset": offset,
        "utc": utc,
    }


def full_text(value):
    """ "12 May 2025, 07:00 (Paris, UTC+2), that is 05:00 UTC"."""
    return _full(
        date_format(timezone.localtime(value), DATE_TIME),
        utc_offset(value),
        utc_text(value),
    )


def pattern():
    """``full_text`` with ``{time}``, ``{offset}`` and ``{utc}`` left for the
    embargo dialog's script to fill in as the editor types."""
    return _full("{time}", "{offset}", "{utc}")
