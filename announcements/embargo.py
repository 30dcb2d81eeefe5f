"""Nothing of an embargoed item is public before its time: documents too."""

from django.contrib.contenttypes.models import ContentType

from wagtail.models import Page, ReferenceIndex

from .models import PressReleaseAttachment


def document_is_embargoed(document):
    """A document attached to, or linked from, releases or statements that
    are none of them live yet is not served to the public."""
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
    if not page_ids:
        return False
    return not Page.objects.filter(pk__in=page_ids, live=True).exists()
