"""RSS 2.0 feeds, one set per language, for newsdesks and aggregators.

Each language version of an item keeps one identifier forever (derived from
its page's ``translation_key``, not its URL, which changes with a slug),
carries the date readers see on its page (``AnnouncementPage.reader_datetime``)
and names its trial and organisation. Only live, public items are listed: an
embargoed release is in no feed until it goes live.
"""

import hashlib
import re
import types
import uuid

from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Rss201rev2Feed, Stylesheet
from django.utils.formats import date_format
from django.utils.http import http_date
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from wagtail.log_actions import log
from wagtail.models import PageLogEntry

from . import content_version, languages
from .listing import EPOCH
from .models import (
    AnnouncementPage,
    LaySummary,
    PartnerPosition,
    PressRelease,
    Trial,
)
from .models.announcement import listed_at
from .models.base import plain_text
from .models.institution import titled_for

ITEM_LIMIT = 50
# History entries of an item leaving the public site; a draft deleted before it
# was ever public leaves no such entry, and its feeds do not change.
WITHDRAWN = "newsroom.withdrawn"
WITHDRAWN_ACTIONS = ("wagtail.unpublish", "wagtail.unpublish.scheduled", WITHDRAWN)

# XML 1.0 forbids most control characters (and lone surrogates cannot be
# encoded); a stray one in an editor's text must not break a feed.
_FORBIDDEN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    return _FORBIDDEN_XML.sub("", value or "")


def _xml_safe(value):
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_xml_safe(part) for part in value)
    return value


class NewsroomRss(Rss201rev2Feed):
    """RSS 2.0 with Dublin Core, to name the organisation behind each item.

    Served as ``application/xml``: browsers then show the feed through its
    XSL stylesheet (given ``application/rss+xml``, Chromium shows raw text);
    feed readers read the same RSS.

    Every text of the channel and of each item (titles, descriptions, links,
    categories, creator) goes through ``xml_text`` here, once, whichever
    method of the feed produced it.
    """

    content_type = "application/xml; charset=utf-8"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = {name: _xml_safe(value) for name, value in self.feed.items()}

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = {
            name: _xml_safe(value) for name, value in self.items[-1].items()
        }

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("creator"):
            handler.addQuickElement("dc:creator", item["creator"])


def _announcements(request, kinds, trial=None):
    """Live, public releases and statements of the request's newsroom (about
    ``trial``: of every newsroom), newest first by the date readers see, in
    one query per kind."""
    language = translation.get_language()
    items = []
    for model in kinds:
        queryset = model.objects.published().for_cards().prefetch_related("corrections")
        if trial is not None:
            queryset = queryset.about(trial)
        else:
            queryset = queryset.in_newsroom(request)
        items += queryset.by_reader_date(language)[:ITEM_LIMIT]
    items.sort(
        key=lambda page: getattr(page, listed_at(language)) or EPOCH, reverse=True
    )
    return items[:ITEM_LIMIT]


class AnnouncementsFeed(Feed):
    feed_type = NewsroomRss
    kinds = AnnouncementPage.page_types()

    def stylesheets(self):
        # What a browser shows instead of raw XML; readers ignore it.
        return [Stylesheet(reverse("feeds:stylesheet"), mimetype="text/xsl")]

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return None

    def channel_title(self):
        return _("Newsroom: press releases and partner statements")

    def title(self, obj):
        return titled_for(self.request, self.channel_title())

    def description(self, obj):
        return _(
            "Press releases and partner organisations' statements about clinical "
            "trials, as they are published."
        )

    def link(self, obj):
        return f"/{translation.get_language()}/"

    def items(self, obj):
        return _announcements(self.request, self.kinds)

    def item_title(self, item):
        return item.reading().title

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_guid(self, item):
        """One permanent guid per item and language: feed readers keep one
        copy per guid. French items keep the guid they always had."""
        language = translation.get_language()
        if language == languages.DEFAULT:
            return f"urn:uuid:{item.translation_key}"
        return f"urn:uuid:{uuid.uuid5(item.translation_key, language)}"

    item_guid_is_permalink = False

    def item_description(self, item):
        reading = item.reading()
        text = plain_text(reading.standfirst, None) or Truncator(
            plain_text(reading.body, None)
        ).words(60)
        if reading.is_original_only:
            text = f"{text} ({languages.PUBLISHED_ONLY_IN[reading.language]})"
        # A corrected item is updated in place (same guid), the correction first.
        corrections = " ".join(
            _("Correction (%(date)s): %(note)s")
            % {"date": date_format(c.date, "DATE_FORMAT"), "note": c.note}
            for c in item.public_corrections()
        )
        return f"{corrections} {text}" if corrections else text

    def item_pubdate(self, item):
        # The date its page shows, in the newsroom's time zone.
        return item.reader_datetime(translation.get_language())

    def item_updateddate(self, item):
        return item.last_published_at and timezone.localtime(item.last_published_at)

    def item_categories(self, item):
        trial = item.public_trial
        categories = [
            name for name in (trial and trial.title, item.organisation.name) if name
        ]
        if item.public_corrections():
            categories.append(_("Correction"))
        return categories

    def item_extra_kwargs(self, item):
        # The organisation that wrote it: the institution for its releases,
        # the partner for its statement.
        return {"creator": item.organisation.name}


class ReleasesFeed(AnnouncementsFeed):
    kinds = (PressRelease,)

    def channel_title(self):
        return _("Newsroom: press releases")


class PositionsFeed(AnnouncementsFeed):
    kinds = (PartnerPosition,)

    def channel_title(self):
        return _("Newsroom: partner statements")


class TrialFeed(AnnouncementsFeed):
    def get_object(self, request, registry_id):
        trial = Trial.objects.published().filter(registry_id=registry_id).first()
        if trial is None:
            raise Http404
        return trial

    def title(self, obj):
        return titled_for(
            self.request,
            _("Newsroom: everything about the trial %(trial)s") % {"trial": obj.title},
        )

    def link(self, obj):
        return obj.get_url(request=self.request)

    def items(self, obj):
        """Its releases and statements, and its lay summary as a dated item
        of each publication (a correction is announced again)."""
        items = _announcements(self.request, self.kinds, trial=obj)
        summary = obj.public_lay_summary
        if summary is None:
            return items
        language = translation.get_language()
        items.append(LaySummaryItem(summary, language))
        items.sort(key=lambda item: _moment(item, language), reverse=True)
        return items[:ITEM_LIMIT]


def _moment(item, language):
    if isinstance(item, LaySummaryItem):
        return item.page.last_published_at
    return getattr(item, listed_at(language)) or EPOCH


class LaySummaryItem:
    """A trial's lay summary as the feed's items read an announcement: its
    title after what it is, its results as the description, dated by its
    last publication, one guid per publication (a correction is news)."""

    is_lay_summary = True

    def __init__(self, page, language):
        self.page = page
        self.language = language
        code = page.content_language(language)
        results = {
            name: text for name, _heading, text, _code in page.sections(language)
        }
        self._reading = types.SimpleNamespace(
            title=_("For patients and families: %(title)s")
            % {"title": getattr(page, f"title_{code}", "") or page.title},
            standfirst=results.get("results", ""),
            body="",
            language=code,
            is_original_only=code != language,
        )
        self.public_trial = page.trial
        self.organisation = types.SimpleNamespace(name=_("Newsroom"))
        self.translation_key = uuid.uuid5(
            page.translation_key, str(page.live_revision_id)
        )
        self.last_published_at = page.last_published_at

    def reading(self, language=None):
        return self._reading

    def get_url(self, request=None):
        return self.page.get_url(request=request)

    def reader_datetime(self, language):
        return timezone.localtime(self.page.last_published_at)

    def public_corrections(self):
        return []


def _freshness(request, registry_id=None):
    """What changes when a feed's content may change: the newest publication
    and the number of live items, per language."""
    parts = [translation.get_language(), registry_id or ""]
    latest = None
    kinds = AnnouncementPage.page_types()
    if registry_id:
        # A trial's feed carries its lay summary too.
        kinds = [*kinds, LaySummary]
    for model in kinds:
        queryset = model.objects.published()
        if registry_id:
            queryset = queryset.filter(trial__registry_id=registry_id)
        else:
            queryset = queryset.in_newsroom(request)
        found = queryset.aggregate(stamp=Max("last_published_at"), count=Count("pk"))
        stamp = found["stamp"]
        parts += [str(stamp), str(found["count"])]
        if stamp and (latest is None or stamp > latest):
            latest = stamp
    # A withdrawn item changes the feed too: a subscriber asking "modified
    # since?" must learn that it is gone.
    withdrawn = PageLogEntry.objects.filter(
        action__in=WITHDRAWN_ACTIONS,
        content_type__in=ContentType.objects.get_for_models(*kinds).values(),
    ).aggregate(latest=Max("timestamp"))["latest"]
    parts.append(str(withdrawn))
    if withdrawn and (latest is None or withdrawn > latest):
        latest = withdrawn
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32], latest


def _cached_freshness(request, registry_id=None):
    if not hasattr(request, "_feed_freshness"):
        request._feed_freshness = content_version.remember(
            f"feed-freshness:{request.get_host()}:{translation.get_language()}:"
            f"{registry_id or ''}",
            lambda: _freshness(request, registry_id),
        )
    return request._feed_freshness


def _etag(request, registry_id=None):
    # Weak, as the site's other ETags (newsroom.compression): the same feed
    # compressed or not.
    return f'W/"{_cached_freshness(request, registry_id)[0]}"'


def _last_modified(request, registry_id=None):
    return _cached_freshness(request, registry_id)[1]


def feed_page(request, feed, *args, **kwargs):
    """The feed as a page, for a person who opened it in a browser: what it
    is, its address to copy, and its latest items."""
    feed.request = request
    obj = feed.get_object(request, *args, **kwargs)
    return TemplateResponse(
        request,
        "announcements/feed_page.html",
        {
            "title": feed._get_dynamic_attr("title", obj),
            "description": feed._get_dynamic_attr("description", obj),
            "feed_url": request.build_absolute_uri(),
            "items": feed.items(obj)[:20],
        },
    )


def feed_view(feed):
    """A feed with conditional GET and a short public cache lifetime.

    A browser opening the address (a navigation: ``Sec-Fetch-Dest:
    document``, which feed readers never send) gets the feed as a page;
    browsers without that header get the RSS, shown through its XSL
    stylesheet."""
    view = condition(etag_func=_etag, last_modified_func=_last_modified)(feed)

    def serve(request, *args, **kwargs):
        if request.headers.get("Sec-Fetch-Dest") == "document":
            response = feed_page(request, feed, *args, **kwargs)
        else:
            response = view(request, *args, **kwargs)
            latest = _last_modified(request, *args, **kwargs)
            if response.status_code == 200 and latest:
                # Django's feed dates it by its newest item; a withdrawal
                # changes it too (and the site's conditional GET reads it).
                response["Last-Modified"] = http_date(latest.timestamp())
        patch_vary_headers(response, ["Sec-Fetch-Dest"])
        # A minute at most in any cache, so an embargo lift shows at once.
        response["Cache-Control"] = "public, max-age=60"
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    return serve


def note_withdrawal(sender, instance, **kwargs):
    """A live item being deleted leaves the feeds: say so in its history
    (Wagtail unpublishes it on the way without an entry), so that feeds tell
    their subscribers it is gone."""
    if instance.live:
        log(instance=instance, action=WITHDRAWN)


def moved(request, name="announcements", **kwargs):
    """A feed's former address (the French feeds had English paths): its
    subscribers' readers follow the permanent redirect."""
    return redirect(f"feeds:{name}", permanent=True, **kwargs)


def stylesheet(request):
    """The XSL stylesheet that turns a feed into a readable page in a
    browser, in the feed's language."""
    response = TemplateResponse(
        request, "announcements/feed.xsl", content_type="text/xsl; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
