"""Documents' and images' permissions granted on the root collection, where
Wagtail reads them: until now only the groups Wagtail's own migrations found
(editors, publishers) had them there, so communications reviewers could not
add a file and medical reviewers could not choose one. A frozen copy of
``announcements.roles`` as of this migration."""

from django.db import migrations

CHOOSE = [
    ("wagtaildocs", "document", "choose_document"),
    ("wagtailimages", "image", "choose_image"),
]
WRITE = CHOOSE + [
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "change_document"),
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "change_image"),
]
FILE_PERMISSIONS = {
    "Editors": WRITE,
    "Medical reviewers": CHOOSE,
    "Communications reviewers": WRITE,
    "Publishers": WRITE,
}


def grant(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    Permission = apps.get_model("auth", "Permission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for group_name, specs in FILE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = []
        for app_label, model, codename in specs:
            content_type, _ = ContentType.objects.get_or_create(
                app_label=app_label, model=model
            )
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": codename},
            )
            wanted.append(permission)
        GroupCollectionPermission.objects.filter(group=group, collection=root).exclude(
            permission__in=wanted
        ).delete()
        for permission in wanted:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0020_search_entries_inline"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
