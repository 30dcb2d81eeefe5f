"""Each approved journalist's own calendar of upcoming lifts: one event per
item the journalist may read, at its embargo, titled in the journalist's
language, linking to the item in the press area (``press.views.calendar``).
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wagtail.models import Page

from announcements import calendars, embargo_time


def journalist_calendar(request, journalist):
    """Upcoming lifts the journalist may see, in the journalist's language."""
    items = journalist.readable_items()
    pages = Page.objects.filter(pk__in=items).specific()
    with translation.override(journalist.language):
        calendar = calendars.new_calendar(_("Newsroom: embargoes"))
        for page in sorted(pages, key=lambda page: items[page.pk]):
            approved = page.scheduled_revision.as_object()
            until = items[page.pk]
            url = request.build_absolute_uri(reverse("press:item", args=(page.pk,)))
            calendar.add_component(
                calendars.event(
                    f"embargo-{page.translation_key}@newsroom",
                    until,
                    _("Embargo lifts: %(title)s")
                    % {"title": approved.reading(journalist.language).title},
                    url,
                    _("Embargoed until %(time)s: nothing of it is public before.")
                    % {"time": embargo_time.full_text(until)},
                )
            )
        return calendars.to_ical(calendar)
