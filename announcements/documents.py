"""Documents a live page carries are public: only publishers change, replace
or delete them, so that no attachment of a live release changes unreviewed.

Wagtail asks one permission policy for every document view (edit, replace,
delete, bulk actions); this one adds the newsroom's rule to Wagtail's own
collection-and-owner rules. Wagtail logs each change in the document's
history.
"""

from wagtail.documents import get_document_model_string
from wagtail.permission_policies.collections import (
    CollectionOwnershipPermissionPolicy,
)

from .embargo import document_is_public
from .review import is_publisher


class PublicDocumentPermissionPolicy(CollectionOwnershipPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if (
            action in ("change", "delete")
            and not is_publisher(user)
            and document_is_public(instance)
        ):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


def permission_policy():
    """Wagtail's document policy (``wagtail.documents.get_permission_policy``)
    with the newsroom's rule."""
    return PublicDocumentPermissionPolicy(
        get_document_model_string(),
        auth_model="wagtaildocs.Document",
        owner_field_name="uploaded_by_user",
    )
