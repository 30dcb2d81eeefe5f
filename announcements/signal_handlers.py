"""Newsroom rules that hang on Wagtail's page signals.

The embargo date of a first publication is set by the scheduler itself
(``announcements.scheduling``), which knows the approved go-live time.
"""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.utils import translation

from wagtail.contrib.redirects.signal_handlers import create_redirects
from wagtail.models import Page, Site

# Wagtail's own redirect on a slug change does not see translated slugs, so
# renaming a page would break its old links. Each language's path is noted
# before a save of a live page and redirected after it.
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def note_translated_paths(sender, instance, **kwargs):
    if not isinstance(instance, Page) or instance._state.adding or not instance.pk:
        return
    fields = [f"url_path_{code}" for code in LANGUAGE_CODES]
    before = Page.objects.filter(pk=instance.pk, live=True).values(*fields).first()
    instance._translated_paths_before = before or {}


def redirect_old_translated_paths(sender, instance, created, **kwargs):
    before = getattr(instance, "_translated_paths_before", None)
    if created or not before:
        return
    del instance._translated_paths_before
    for code in LANGUAGE_CODES:
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


def register():
    pre_save.connect(note_translated_paths, dispatch_uid="newsroom-note-paths")
    post_save.connect(redirect_old_translated_paths, dispatch_uid="newsroom-redirects")
