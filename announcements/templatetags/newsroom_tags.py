import json

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import mark_safe

from wagtail.models import Site

from .. import languages, seo

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context, page=None):
    """Links to this same item in each language (not to the home page)."""
    request = context.get("request")
    current = translation.get_language()
    links = []
    path = request.get_full_path() if request else "/"
    preview = getattr(request, "embargo_preview", None)
    for code, name in settings.LANGUAGES:
        if preview:
            url = preview["link"].url_in(code)
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
    return {
        "sections": [
            {"title": page.title, "url": page.get_url(request=request)}
            for page in sections
        ]
    }


@register.simple_tag(takes_context=True)
def reading(context, page):
    """The page's text as this reader gets it (see BilingualPage.reading)."""
    return page.reading(translation.get_language())


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
