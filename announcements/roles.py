"""The newsroom's editorial roles and its two-step review workflow.

Editors write and submit; medical reviewers check the science; communications
reviewers check the message and are the last approvers, so they hold publish
permission (an approval without it is rolled back). The workflow itself is
assigned to the release, statement and trial indexes when the site is built
(``site_tree.add_indexes``). Each newsroom has its own groups and workflow,
granted on its own home page and collection (``teams.draw_edges``).

The first newsroom's groups and workflow are made by migrations, each with a
frozen copy of the roles it sets up (``0017_editorial_roles``,
``0021_file_permissions_per_collection``): a change of roles here is a new
migration too. Later newsrooms get theirs from ``newsrooms.add_newsroom``.
"""

from django.utils.translation import gettext_noop

# The editorial groups, by their stored names.
EDITORS = "Editors"
MEDICAL_REVIEWERS = "Medical reviewers"
COMMUNICATIONS_REVIEWERS = "Communications reviewers"
PUBLISHERS = "Publishers"

# Stored in English; shown in each editor's language (announcements.workflows).
REVIEW_WORKFLOW = gettext_noop("Medical review → Communications review")
# Wagtail's own workflow and task, renamed from "Moderators approval"
# (``0017_editorial_roles``): the home page, indexes and contacts go through it.
PUBLISHERS_APPROVAL = gettext_noop("Publishers approval")
# (step, group, task model): the medical step checks claims against the trial's
# primary outcome (``MedicalReviewTask``); before its migration the
# historical models have only Wagtail's group approval, which it replaces.
STEPS = [
    (
        gettext_noop("Medical review"),
        MEDICAL_REVIEWERS,
        ("announcements", "MedicalReviewTask"),
    ),
    (
        gettext_noop("Communications review"),
        COMMUNICATIONS_REVIEWERS,
        ("wagtailcore", "GroupApprovalTask"),
    ),
]

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MEDICAL_REVIEWERS: ["change_page"],
    COMMUNICATIONS_REVIEWERS: ["add_page", "change_page", "publish_page"],
    PUBLISHERS: [
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ],
}

EVERYONE = [
    ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
    ("wagtaildocs", "document", "choose_document", "Can choose document"),
    ("wagtailimages", "image", "choose_image", "Can choose image"),
    ("announcements", "organisation", "view_organisation", "Can view organisation"),
]
WRITERS = [
    ("wagtaildocs", "document", "add_document", "Can add document"),
    ("wagtaildocs", "document", "change_document", "Can change document"),
    ("wagtailimages", "image", "add_image", "Can add image"),
    ("wagtailimages", "image", "change_image", "Can change image"),
    ("announcements", "organisation", "add_organisation", "Can add organisation"),
]
# An organisation's name, website and logo show on every page, feed and JSON-LD
# that names it: changing them is for publishers (Wagtail logs each change).
PUBLISHERS_ONLY = [
    ("announcements", "organisation", "change_organisation", "Can change organisation"),
]
# Journalists' embargo links: editors ask for one, communications reviewers
# and publishers grant and revoke them.
LINK_REQUESTERS = [
    ("press", "embargopreviewlink", "add_embargopreviewlink", "Can add link"),
    ("press", "embargopreviewlink", "view_embargopreviewlink", "Can view link"),
]
LINK_GRANTERS = LINK_REQUESTERS + [
    ("press", "embargopreviewlink", codename, name)
    for codename, name in (
        ("change_embargopreviewlink", "Can change link"),
        ("delete_embargopreviewlink", "Can delete link"),
        ("grant_embargopreviewlink", "Can grant embargo links"),
    )
]
# The press office: who may read embargoed items early (journalists' accounts
# and the items granted to them) and who did (the log, read-only for all).
PRESS_OFFICE = [
    ("press", "journalist", "add_journalist", "Can add journalist"),
    ("press", "journalist", "change_journalist", "Can change journalist"),
    ("press", "journalist", "view_journalist", "Can view journalist"),
    ("press", "accesslog", "view_accesslog", "Can view embargoed reading"),
]
# The words that flag a claim for the medical reviewer (Settings › Claim words).
CLAIM_WORDS = [
    ("announcements", "claimwords", "change_claimwords", "Can change claim words"),
]
# The lay summaries' glossary (Snippets › Glossary): every editorial group
# reads it; its definitions are printed on live summaries at once, with no
# review, so publishers add, change and remove its terms.
GLOSSARY = [("announcements", "glossaryterm", "view_glossaryterm", "Can view term")]
GLOSSARY_CHANGES = [
    ("announcements", "glossaryterm", f"{action}_glossaryterm", f"Can {action} term")
    for action in ("add", "change", "delete")
]
# Wagtail reads documents' and images' permissions per collection, never from
# the group: these are granted on the root collection as well.
FILE_APPS = ("wagtaildocs", "wagtailimages")
MODEL_PERMISSIONS = {
    EDITORS: EVERYONE + WRITERS + LINK_REQUESTERS + GLOSSARY,
    MEDICAL_REVIEWERS: EVERYONE + CLAIM_WORDS + GLOSSARY,
    COMMUNICATIONS_REVIEWERS: EVERYONE
    + WRITERS
    + LINK_GRANTERS
    + PRESS_OFFICE
    + GLOSSARY,
    PUBLISHERS: EVERYONE
    + WRITERS
    + PUBLISHERS_ONLY
    + LINK_GRANTERS
    + PRESS_OFFICE
    + CLAIM_WORDS
    + GLOSSARY
    + GLOSSARY_CHANGES,
}


def permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def grant_on(model, group, permissions, **place):
    """Exactly ``permissions`` for ``group`` at ``place`` (the root page, the
    root collection): Wagtail's per-page or per-collection grants."""
    model.objects.filter(group=group, **place).exclude(
        permission__in=permissions
    ).delete()
    for permission in permissions:
        model.objects.get_or_create(group=group, permission=permission, **place)
