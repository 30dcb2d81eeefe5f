"""Several newsrooms in one install: the first newsroom's editorial groups
act on its own home page and collection, not on the whole tree, so that a
second newsroom's pages and files are out of their reach. Their page
permissions move from the root to the default site's home page, their file
permissions from the root collection to a collection of the newsroom's own,
and the files kept in the root collection move into it. Nothing else
changes: a database without a site (a new one) is left as it is, and
``site_tree.ensure_site_tree`` draws the same edges when it builds the site.
Frozen: it reads no live code."""

from django.db import migrations

GROUPS = ["Editors", "Medical reviewers", "Communications reviewers", "Publishers"]
STEP = 4  # Wagtail's tree paths grow by four base-36 characters a level
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _next_child_path(parent, children):
    last = children.order_by("-path").values_list("path", flat=True).first()
    number = int(last[-STEP:], 36) + 1 if last else 1
    digits = ""
    while number:
        number, digit = divmod(number, 36)
        digits = ALPHABET[digit] + digits
    return parent.path + digits.rjust(STEP, "0")


def _move_grants(model, place, source, target):
    """The editorial groups' grants on ``source`` (a page or collection id)
    held on ``target`` instead; one already there is kept once."""
    grants = model.objects.filter(group__name__in=GROUPS)
    for grant in grants.filter(**{f"{place}_id": source}):
        if grants.filter(
            group=grant.group, permission=grant.permission, **{f"{place}_id": target}
        ).exists():
            grant.delete()
        else:
            setattr(grant, f"{place}_id", target)
            grant.save()


def _is_a_newsroom(site):
    # Not Wagtail's welcome page, which the site's set-up replaces.
    return site is not None and (
        site.root_page.content_type.app_label,
        site.root_page.content_type.model,
    ) == ("announcements", "homepage")


def _places(apps):
    """The default site, the root page and the root collection, when the
    site is a newsroom's; else None."""
    site = apps.get_model("wagtailcore", "Site").objects.filter(is_default_site=True)
    site = site.first()
    root = apps.get_model("wagtailcore", "Page").objects.filter(depth=1).first()
    Collection = apps.get_model("wagtailcore", "Collection")
    root_collection = Collection.objects.filter(depth=1).first()
    if not _is_a_newsroom(site) or root is None or root_collection is None:
        return None
    return site, root, root_collection


def draw_edges(apps, schema_editor):
    places = _places(apps)
    if places is None:
        return
    site, root, root_collection = places
    Collection = apps.get_model("wagtailcore", "Collection")
    _move_grants(
        apps.get_model("wagtailcore", "GroupPagePermission"),
        "page",
        root.pk,
        site.root_page_id,
    )
    children = Collection.objects.filter(depth=2, path__startswith=root_collection.path)
    name = site.site_name or "Newsroom"
    own = children.filter(name=name).first()
    if own is None:
        own = Collection.objects.create(
            name=name,
            path=_next_child_path(root_collection, children),
            depth=2,
            numchild=0,
        )
        Collection.objects.filter(pk=root_collection.pk).update(
            numchild=root_collection.numchild + 1
        )
    _move_grants(
        apps.get_model("wagtailcore", "GroupCollectionPermission"),
        "collection",
        root_collection.pk,
        own.pk,
    )
    for app_label, model in (("wagtaildocs", "Document"), ("wagtailimages", "Image")):
        apps.get_model(app_label, model).objects.filter(
            collection=root_collection
        ).update(collection=own)


def undraw_edges(apps, schema_editor):
    places = _places(apps)
    if places is None:
        return
    site, root, root_collection = places
    _move_grants(
        apps.get_model("wagtailcore", "GroupPagePermission"),
        "page",
        site.root_page_id,
        root.pk,
    )
    owns = apps.get_model("wagtailcore", "Collection").objects.filter(
        depth=2, name=site.site_name or "Newsroom"
    )
    for own in owns:
        _move_grants(
            apps.get_model("wagtailcore", "GroupCollectionPermission"),
            "collection",
            own.pk,
            root_collection.pk,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0028_institution_in_the_reference_index"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(draw_edges, undraw_edges)]
