import json

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from wagtail.models import Site

from .. import embargo, embargo_time, languages, newsrooms, seo
from ..models import Institution
from ..review import reviewed_object

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context, page=None):
    """Links to this same item in each language (not to the home page)."""
    request = context.get("request")
    current = translation.get_language()
    links = []
    path = request.get_full_path() if request else "/"
    reading = embargo.reading_of(request)
    for code, name in settings.LANGUAGES:
        if reading is not None:
            # The same embargoed reading in the other language.
            url = reading.url_in(code)
        elif getattr(page, "shown_in_index", None) is not None:
            # A trial another newsroom keeps (or its lay summary), read here:
            # here in each language.
            with translation.override(code):
                url = page.shown_in_index.get_url(request=request) + "".join(
                    f"{shown.slug}/" for shown in page.shown_path
                )
        elif page is not None and getattr(page, "pk", None):
            with translation.override(code):
                url = page.get_url(request=request)
        else:
            url = translate_url(path, code)
            if url == path and code != current:
                url = _swap_prefix(path, code)
        links.append(
            {"code": code, "name": name, "url": url, "is_current": code == current}
        )
    return links


def _swap_prefix(path, code):
    parts = path.split("/", 2)
    if len(parts) > 1 and parts[1] in languages.CODES:
        rest = parts[2] if len(parts) > 2 else ""
        return f"/{code}/{rest}"
    return f"/{code}{path}"


@register.inclusion_tag("includes/site_navigation.html", takes_context=True)
def site_navigation(context):
    """The home page's sections, for the main navigation (public pages only)."""
    request = context.get("request")
    # The site's home page was read with the site (Wagtail caches it on the
    # request): one query for the sections, whatever the page.
    site = Site.find_for_request(request)
    home = site.root_page if site else None
    sections = home.get_children().live().in_menu() if home and home.live else []
    path = request.path if request else ""
    links = []
    for page in sections:
        url = page.get_url(request=request)
        # The section being read, and the one of the page being read.
        current = "page" if path == url else "true" if path.startswith(url) else ""
        links.append({"title": page.title, "url": url, "current": current})
    return {"sections": links}


@register.simple_tag(takes_context=True)
def published_elsewhere(context, page):
    """The name of the newsroom that published ``page``, when it is another
    than the one being read; else ""."""
    request = context.get("request")
    if request is None:
        return ""
    return newsrooms.elsewhere(page, request, translation.get_language())


@register.simple_tag(takes_context=True)
def trial_url(context, trial):
    """The trial's address in the newsroom being read (``newsrooms``)."""
    request = context.get("request")
    return newsrooms.trial_url(trial, request) if request else trial.get_url()


@register.inclusion_tag("includes/brand.html", takes_context=True)
def brand(context):
    """The header's link home: the institution's logo and name (a site
    setting), then the newsroom's."""
    institution = Institution.for_request_or_none(context.get("request"))
    language = translation.get_language()
    return {
        "home_url": f"/{language}/",
        "institution": institution,
        "institution_name": institution.name_in(language) if institution else "",
    }


@register.simple_tag
def lang_attr(obj, field):
    """`` lang="…"`` when ``obj``'s translated ``field`` is shown in another
    language than the page's (its text fell back to the other language)."""
    language = translation.get_language() or languages.DEFAULT
    shown = languages.shown_in(obj, field, language)
    return format_html(' lang="{}"', shown) if shown != language else ""


@register.filter
def email_address(address):
    """An e-mail address that may wrap before its "@" only, never inside a
    name ("chu-<br>nimes.fr" is copied wrong from a phone)."""
    local, at, domain = (address or "").rpartition("@")
    if not at:
        return format_html('<span class="identifier">{}</span>', address)
    return format_html(
        '<span class="identifier">{}</span><wbr><span class="identifier">@{}</span>',
        local,
        domain,
    )


@register.simple_tag(takes_context=True)
def reading(context, page):
    """The page's text as this reader gets it (see BilingualPage.reading)."""
    return page.reading(translation.get_language())


@register.simple_tag
def colon():
    """The colon after a label: French sets a no-break space before it."""
    return pgettext("after a label", ":")


@register.simple_tag
def language_name(code):
    return translation.get_language_info(code)["name_translated"]


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def page_metadata(context, page):
    return seo.page_metadata(page, context.get("request"))


@register.filter
def json_ld(data):
    """A JSON-LD ``<script>``; no text in it can close the element."""
    if not data:
        return ""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    # Safe: every "<", ">" and "&" in the JSON is escaped above.
    script = f'<script type="application/ld+json">{payload}</script>'
    return mark_safe(script)  # noqa: S308


# Admin: the embargo in the editors' words (``announcements.embargo_time``) ---


@register.simple_tag
def embargo_text(value):
    """ "12 May 2025, 07:00 (Paris, UTC+2), that is 05:00 UTC"; "" for None."""
    return embargo_time.full_text(value) if value else ""


@register.simple_tag
def embargo_pattern():
    """``embargo_text`` with ``{time}``, ``{offset}`` and ``{utc}`` for the
    embargo dialog's script to fill in as the editor types."""
    return embargo_time.pattern()


@register.simple_tag
def embargo_notice(page):
    """For review e-mails: when the release or statement goes public."""
    page = getattr(page, "specific", page)
    if not getattr(page, "uses_embargo_words", False):
        return ""
    scheduled = page.scheduled_revision
    if scheduled is not None:
        return gettext(
            "Embargo: scheduled for %(time)s. Nothing of it is public until then."
        ) % {"time": embargo_time.full_text(scheduled.approved_go_live_at)}
    if page.live:
        return ""
    go_live_at = embargo.still_to_come(page.get_latest_revision_as_object())
    if go_live_at:
        return gettext(
            "Embargo: %(time)s. It takes effect once the review is approved."
        ) % {"time": embargo_time.full_text(go_live_at)}
    return gettext("No embargo: it goes public as soon as the review is approved.")


@register.simple_tag
def embargo_until(page):
    """ "12 May 2025, 07:00 (Paris)" when ``page`` is scheduled, else ""."""
    scheduled = getattr(page, "specific", page).scheduled_revision
    return embargo_time.local_text(scheduled.approved_go_live_at) if scheduled else ""


@register.simple_tag(takes_context=True)
def press_kit_url(context, page):
    """Where this reader gets the release's press kit: the public kit of a
    live release, the embargoed reading's own, or nowhere."""
    reading = embargo.reading_of(context.get("request"))
    if reading is not None:
        return reading.press_kit_url
    return reverse("press_kit", args=(page.pk,)) if page.live else ""


@register.simple_tag(takes_context=True)
def attachment_url(context, attachment):
    """An attachment's address for this reader: through the embargoed
    reading's own door before the lift, the document's address after."""
    reading = embargo.reading_of(context.get("request"))
    if reading is not None:
        return reading.document_url(attachment.document_id)
    return attachment.document.url


@register.simple_tag
def claims_in_review(task_state):
    """For the medical reviewer's form: ``{"trial", "claims"}`` of the
    revision under review."""
    reviewed = reviewed_object(task_state.workflow_state.content_object, task_state)
    left, before = reviewed.claims_to_confirm()
    return {
        "trial": getattr(reviewed, "trial", None),
        "claims": left,
        "confirmed_before": before,
    }
