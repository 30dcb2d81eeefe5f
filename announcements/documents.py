"""Files that reviewed content carries change only through a publisher.

A document or image is *carried* when a live page uses it, when a revision
approved for an embargo or under review does (the file readers will get at
the lift is the one the reviewers saw), or when anything published as soon
as it is saved does (an organisation's logo, the institution's). Only
publishers change, replace or delete a carried file; everyone else adds a
new file and puts it on the page, which goes through review like any change.

Wagtail asks one permission policy per model for every door to a file (the
edit view, its replace field, delete, the bulk actions); these policies add
the newsroom's rule to Wagtail's collection-and-owner rules. A carried file
that a publisher replaces is recorded in each carrying page's history, and
Wagtail records it in the file's own.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save

from wagtail.documents import get_document_model, get_document_model_string
from wagtail.images import get_image_model, get_image_model_string
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex, Revision, WorkflowState
from wagtail.permission_policies.collections import (
    CollectionOwnershipPermissionPolicy,
)

from .embargo import document_is_public
from .review import is_publisher

FILE_REPLACED = "newsroom.file_replaced"


def _reviewed_revisions():
    """Revisions approved for an embargo or under review now."""
    in_review = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS
    ).values("current_task_state__revision")
    return Revision.page_revisions.filter(approved_go_live_at__isnull=False) | (
        Revision.page_revisions.filter(pk__in=in_review)
    )


def carrying_pages(obj):
    """The pages whose live text, approved or reviewed revision uses ``obj``."""
    page_type = ContentType.objects.get_for_model(Page)
    references = ReferenceIndex.get_references_to(obj)
    used_by = {
        int(object_id)
        for object_id in references.filter(base_content_type=page_type).values_list(
            "object_id", flat=True
        )
    }
    pages = set(Page.objects.filter(pk__in=used_by, live=True))
    content_type = ContentType.objects.get_for_model(obj)
    for revision in _reviewed_revisions().select_related("content_type"):
        references = ReferenceIndex._extract_references_from_object(
            revision.as_object()
        )
        if any(
            (found_type, found_id) == (content_type.pk, str(obj.pk))
            for found_type, found_id, _model_path, _content_path in references
        ):
            pages.add(revision.content_object)
    return pages


def is_carried(obj):
    page_type = ContentType.objects.get_for_model(Page)
    published_as_saved = ReferenceIndex.get_references_to(obj).exclude(
        base_content_type=page_type
    )
    return (
        published_as_saved.exists()
        or (isinstance(obj, get_document_model()) and document_is_public(obj))
        or bool(carrying_pages(obj))
    )


class ReviewedFilePermissionPolicy(CollectionOwnershipPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if action in ("change", "delete") and not is_publisher(
            user, instance.collection
        ):
            if is_carried(instance):
                return False
        return super().user_has_permission_for_instance(user, action, instance)


def document_permission_policy():
    """Wagtail's document policy with the newsroom's rule."""
    return ReviewedFilePermissionPolicy(
        get_document_model_string(),
        auth_model="wagtaildocs.Document",
        owner_field_name="uploaded_by_user",
    )


def image_permission_policy():
    """Wagtail's image policy with the newsroom's rule."""
    return ReviewedFilePermissionPolicy(
        get_image_model_string(),
        auth_model="wagtailimages.Image",
        owner_field_name="uploaded_by_user",
    )


def record_replaced_file(sender, instance, **kwargs):
    """A carried file replaced (by a publisher): said in each carrying page's
    history, by whoever the request is (Wagtail's log context)."""
    if instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values_list("file", flat=True)
    if not before or before[0] == instance.file.name:
        return
    for page in carrying_pages(instance):
        log(
            instance=page,
            action=FILE_REPLACED,
            data={"title": instance.title, "file": instance.file.name},
        )


def connect():
    for model in (get_document_model(), get_image_model()):
        pre_save.connect(record_replaced_file, sender=model)
