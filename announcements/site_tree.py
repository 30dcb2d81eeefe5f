"""The newsroom's page tree: one home page and its four index pages.

Built by ``manage.py setup_site`` (and by ``load_seed_content``); safe to run
again, it only adds what is missing. It replaces Wagtail's default welcome
page, whose slug would collide with ours.
"""

from django.db import transaction
from django.utils import translation

from wagtail.models import Page, Site, WorkflowPage

from . import languages, teams
from .models import (
    ContactIndexPage,
    HomePage,
    PositionIndexPage,
    ReleaseIndexPage,
    TrialIndexPage,
)
from .workflows import review_workflow

HOME = {
    "title_fr": "Salle de presse",
    "title_en": "Newsroom",
    "slug_fr": "accueil",
    "slug_en": "home",
    "intro_fr": "Communiqués de presse et prises de position sur les essais cliniques.",
    "intro_en": "Press releases and statements about clinical trials.",
}

INDEXES = [
    (
        ReleaseIndexPage,
        {
            "title_fr": "Communiqués de presse",
            "title_en": "Press releases",
            "slug_fr": "communiques",
            "slug_en": "press-releases",
        },
    ),
    (
        PositionIndexPage,
        {
            "title_fr": "Prises de position",
            "title_en": "Partner statements",
            "slug_fr": "prises-de-position",
            "slug_en": "statements",
        },
    ),
    (
        TrialIndexPage,
        {
            "title_fr": "Essais cliniques",
            "title_en": "Clinical trials",
            "slug_fr": "essais",
            "slug_en": "trials",
        },
    ),
    (
        ContactIndexPage,
        {
            "title_fr": "Contacts presse",
            "title_en": "Press contacts",
            "slug_fr": "contacts",
            "slug_en": "contacts",
        },
    ),
]


def _translated_fields(values):
    fields = dict(values)
    fields["title"] = values["title_fr"]
    fields["slug"] = values["slug_fr"]
    return fields


def _give_root_its_translated_paths(root):
    # The translated url_path columns are added after Wagtail created the root,
    # so they start empty; children would then get paths without a leading "/".
    missing = {
        f"url_path_{code}": "/"
        for code in languages.CODES
        if not getattr(root, f"url_path_{code}", None)
    }
    if missing:
        Page.objects.filter(pk=root.pk).update(**missing)
        for name, value in missing.items():
            setattr(root, name, value)


def ensure_site_tree():
    """Return the home page, creating it and its indexes where missing."""
    # Untranslated names ("title", "slug") write the active language's column.
    with translation.override(languages.DEFAULT), transaction.atomic():
        return _ensure_site_tree()


def add_home():
    """A new home page under the root, published: a newsroom's, before its
    site exists (``newsrooms.add_newsroom``)."""
    root = Page.get_first_root_node()
    _give_root_its_translated_paths(root)
    home = HomePage(**_translated_fields(HOME))
    # Each newsroom's home has the same address within its own site.
    siblings = root.get_children().count()
    if siblings:
        home.slug = home.slug_fr = f"{HOME['slug_fr']}-{siblings + 1}"
        home.slug_en = f"{HOME['slug_en']}-{siblings + 1}"
    root.add_child(instance=home)
    home.save_revision().publish()
    return home


def add_indexes(home, workflow):
    """The home's four sections, where missing; releases, statements and
    trials go through ``workflow`` (trial records carry results too)."""
    for model, values in INDEXES:
        index = model.objects.child_of(home).first()
        if index is None:
            index = model(**_translated_fields(values), show_in_menus=True)
            home.add_child(instance=index)
            index.save_revision().publish()
        if workflow is not None and model in (
            ReleaseIndexPage,
            PositionIndexPage,
            TrialIndexPage,
        ):
            WorkflowPage.objects.update_or_create(
                page=index, defaults={"workflow": workflow}
            )


def _ensure_site_tree():
    root = Page.get_first_root_node()
    _give_root_its_translated_paths(root)
    site = Site.objects.filter(is_default_site=True).first()
    home = site.root_page.specific if site else None
    if not isinstance(home, HomePage):
        home = HomePage.objects.first()
    if home is None:
        # Wagtail's welcome page is a plain Page under the root: remove it.
        for page in root.get_children().exact_type(Page):
            page.delete()
        home = add_home()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Newsroom",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    teams.draw_edges(site)
    add_indexes(home, review_workflow())
    return home
