"""What a finished review does (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Wagtail imports it while defining its own models: it imports the newsroom's
rules only when a review finishes.
"""


def publish_approved(workflow_state, user=None):
    """Publish the revision the review approved. On a reviewed page its last
    approver may publish it then, though not the page at any other time
    (``announcements.review``; ``ReviewedPage.publish`` still checks that the
    review approved it); any other page is published as Wagtail does."""
    from .review import is_reviewed

    revision = workflow_state.current_task_state.revision
    page = workflow_state.content_object
    revision.publish(user=user, skip_permission_checks=is_reviewed(page))
