"""Nothing of an embargoed item is public before its time: documents too."""

from django.contrib.contenttypes.models import ContentType

from wagtail.models import Page, ReferenceIndex

from .models import PressReleaseAttachment


def document_is_public(document):
    """Only documents that a live page carries (attached, or linked from its
    live text) are served to the public: not those of drafts, of scheduled
    changes to a live release, nor documents attached to nothing yet."""
    page_ids = set(
        PressReleaseAttachment.objects.filter(document=document).values_list(
            "page_id", flat=True
        )
    )
    page_type = ContentType.objects.get_for_model(Page)
    page_ids |= {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    }
    return Page.objects.filter(pk__in=page_ids, live=True).exists()
