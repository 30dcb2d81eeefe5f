"""Who holds which editorial role, in which newsroom.

Each newsroom (a Wagtail site, ``newsrooms``) has one group per role
(``roles``): the first newsroom's groups bear the roles' names ("Editors"),
another's add the newsroom's ("Editors — FILSLAN"). A group acts only where
Wagtail's page and collection permissions put it, on its newsroom's home page
and its collection, so what its members may do stops at the newsroom's edge;
a review step of one newsroom is its reviewers' alone.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Site,
)

from . import roles

SEPARATOR = " — "


def group_name(role, newsroom=""):
    """The name of ``role``'s group in the newsroom named ``newsroom`` (the
    first newsroom's groups are named by the role alone)."""
    return f"{role}{SEPARATOR}{newsroom}" if newsroom else role


def in_role(role, prefix=""):
    """A filter on groups holding ``role`` in any newsroom."""
    return Q(**{f"{prefix}name": role}) | Q(
        **{f"{prefix}name__startswith": role + SEPARATOR}
    )


def where_held(user, tree, role=None):
    """Where ``user``'s groups (those holding ``role``, or all) have a
    permission in ``tree`` (``GroupPagePermission`` or
    ``GroupCollectionPermission``): the tree paths of those pages or
    collections (each newsroom's home page and collection)."""
    groups = user.groups.all() if role is None else user.groups.filter(in_role(role))
    field = "page__path" if tree is GroupPagePermission else "collection__path"
    return set(tree.objects.filter(group__in=groups).values_list(field, flat=True))


def at_or_under(paths, path):
    """Is the node at ``path`` one of ``paths``, or below one of them?"""
    return any(ancestor in paths for ancestor in _ancestry(path))


def _ancestry(path):
    # Wagtail's tree paths (pages and collections) grow by four characters a
    # level.
    return [path[:end] for end in range(4, len(path) + 1, 4)]


def groups_for(role, page):
    """The groups holding ``role`` in ``page``'s newsroom: those with a page
    permission on the page or above it."""
    return Group.objects.filter(
        in_role(role),
        page_permissions__page__path__in=_ancestry(page.path),
    ).distinct()


def in_newsroom(site, page):
    """Is ``page`` one of the newsroom ``site``'s pages?"""
    return page.path.startswith(site.root_page.path)


def pages_in(sites, prefix="page__"):
    """A filter on the pages (reached through ``prefix``) of ``sites``."""
    found = Q(pk__in=[])
    for site in sites:
        found |= Q(**{f"{prefix}path__startswith": site.root_page.path})
    return found


def sites_of(user):
    """The newsrooms ``user`` works in: the sites whose home page (or a page
    above it) one of their groups holds a page permission on. Every site for
    a superuser."""
    sites = list(Site.objects.select_related("root_page").order_by("pk"))
    if not (user and user.is_active):
        return []
    if user.is_superuser:
        return sites
    granted = where_held(user, GroupPagePermission)
    return [site for site in sites if at_or_under(granted, site.root_page.path)]


def _permissions(specs):
    """``{spec: permission}`` for ``(app_label, model, codename, name)``
    specs, read in one query (those missing are made)."""
    specs = list(dict.fromkeys(specs))
    found = {
        (p.content_type.app_label, p.content_type.model, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in={spec[2] for spec in specs}
        )
    }
    return {
        spec: found.get(spec[:3]) or roles.permission(apps, *spec) for spec in specs
    }


def collection_of(site):
    """The collection the newsroom's files are kept in: the one its editors'
    group holds permissions on (never the root, which is no newsroom's)."""
    return (
        Collection.objects.filter(
            group_permissions__group__in=groups_for(roles.EDITORS, site.root_page)
        )
        .exclude(depth=1)
        .first()
    )


def _collection_for(site, name):
    """``collection_of(site)``, else a new one named after the newsroom."""
    found = collection_of(site)
    if found is not None:
        return found
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def draw_edges(site, newsroom=""):
    """Give the newsroom's groups (named for ``newsroom``; the first
    newsroom's by their role alone) their permissions on its home page and
    its collection, and nowhere else. Safe to run again."""
    home = site.root_page
    collection = _collection_for(site, newsroom or site.site_name or "Newsroom")
    page_specs = {
        role: [("wagtailcore", "page", c, c) for c in codenames]
        for role, codenames in roles.PAGE_PERMISSIONS.items()
    }
    permission = _permissions(
        [
            *(spec for specs in page_specs.values() for spec in specs),
            *(spec for specs in roles.MODEL_PERMISSIONS.values() for spec in specs),
        ]
    )
    groups = {}
    for role in roles.PAGE_PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=group_name(role, newsroom))
        groups[role] = group
        pages = [permission[spec] for spec in page_specs[role]]
        GroupPagePermission.objects.filter(group=group).exclude(page=home).delete()
        roles.grant_on(GroupPagePermission, group, pages, page=home)
        specs = roles.MODEL_PERMISSIONS[role]
        group.permissions.set([permission[spec] for spec in specs])
        files = [permission[spec] for spec in specs if spec[0] in roles.FILE_APPS]
        GroupCollectionPermission.objects.filter(group=group).exclude(
            collection=collection
        ).delete()
        roles.grant_on(GroupCollectionPermission, group, files, collection=collection)
    return groups, collection
