"""Newsroom rules that hang on Wagtail's publishing signals."""

import datetime

from wagtail.models import Page
from wagtail.signals import page_published

# The scheduler runs every minute; a first publication this soon after the
# embargo is the embargo lifting, and readers are told that time.
EMBARGO_LIFT_WINDOW = datetime.timedelta(minutes=10)


def date_first_publication_at_the_embargo(sender, instance, **kwargs):
    """An embargoed item is first published at its embargo time, to the minute
    feeds and pages announce, not when the scheduler happened to run."""
    embargo = instance.go_live_at
    published = instance.first_published_at
    if not embargo or not published or published != instance.last_published_at:
        return
    if embargo < published <= embargo + EMBARGO_LIFT_WINDOW:
        Page.objects.filter(pk=instance.pk).update(first_published_at=embargo)
        instance.first_published_at = embargo


def register():
    page_published.connect(
        date_first_publication_at_the_embargo, dispatch_uid="newsroom-embargo-date"
    )
