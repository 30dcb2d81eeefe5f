"""Each approved journalist's own calendar of embargoes: one event per item
the journalist may read, at its embargo, titled in the journalist's language,
linking to the item in the press area (``press.views.calendar``). At the
lift the event stays, marked as lifted and linking to the public item (the
same UID, so calendar applications update it rather than add one), for
``LIFTED_KEPT``. Its links lead to the journalist's newsroom.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wagtail.models import Page

from announcements import calendars, embargo_time


def journalist_calendar(request, journalist):
    """The journalist's embargoes, upcoming and recently lifted, in the
    journalist's language."""
    upcoming = journalist.readable_items()
    lifted = journalist.recently_lifted_items()
    items = {**lifted, **upcoming}
    pages = Page.objects.filter(pk__in=items).specific()
    with translation.override(journalist.language):
        calendar = calendars.new_calendar(_("Newsroom: embargoes"))
        for page in sorted(pages, key=lambda page: items[page.pk]):
            until = items[page.pk]
            if page.pk in upcoming:
                title = page.scheduled_revision.as_object().reading(journalist.language)
                summary = _("Embargo lifts: %(title)s")
                path = reverse("press:item", args=(page.pk,))
                description = _(
                    "Embargoed until %(time)s: nothing of it is public before."
                )
            else:
                title = page.reading(journalist.language)
                summary = _("Embargo lifted: %(title)s")
                path = page.get_url_parts(request=request)[2]
                description = _("Public since %(time)s.")
            calendar.add_component(
                calendars.event(
                    f"embargo-{page.translation_key}@newsroom",
                    until,
                    summary % {"title": title.title},
                    journalist.address(path),
                    description % {"time": embargo_time.full_text(until)},
                )
            )
        return calendars.to_ical(calendar)
