"""Old links keep working when a page's French or English slug changes.

Wagtail's own redirect on a slug change does not see translated slugs, so
renaming a page would break its old links. Each language's path is noted
before a save of a live page and redirected after it.
"""

from urllib.parse import urlparse

from django.utils import translation

from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.redirects.signal_handlers import create_redirects
from wagtail.models import Page, Site

from . import languages


def note_translated_paths(sender, instance, **kwargs):
    if instance._state.adding or not instance.pk:
        return
    fields = [f"url_path_{code}" for code in languages.CODES]
    before = Page.objects.filter(pk=instance.pk, live=True).values(*fields).first()
    instance._translated_paths_before = before or {}


def redirect_old_translated_paths(sender, instance, created, **kwargs):
    before = getattr(instance, "_translated_paths_before", None)
    if created or not before:
        return
    del instance._translated_paths_before
    for code in languages.CODES:
        old_path = before.get(f"url_path_{code}")
        if not old_path or old_path == getattr(instance, f"url_path_{code}"):
            continue
        with translation.override(code):
            page = instance.specific
            page_old = type(page)()
            page_old.__dict__.update(page.__dict__)
            setattr(page_old, f"url_path_{code}", old_path)
            sites = Site.objects.exclude(root_page=page)
            create_redirects(page=page, page_old=page_old, sites=sites)


class PublicRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects, except to a page readers may not see yet: an old
    address of a page now unpublished or scheduled stays "not found" and
    discloses nothing of the new one (its slug comes from an embargoed
    headline)."""

    def process_response(self, request, response):
        if response.status_code != 404:
            return response
        path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
        redirect = get_redirect(request, path) or get_redirect(
            request, urlparse(path).path
        )
        if (
            redirect is not None
            and redirect.redirect_page_id
            and not Page.objects.filter(pk=redirect.redirect_page_id, live=True)
            .public()
            .exists()
        ):
            return response
        return super().process_response(request, response)
