"""What a finished review does (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Wagtail imports it while defining its own models: it imports nothing.
"""


def publish_approved(workflow_state, user=None):
    """Publish what the review approved. Its last approver may publish it
    then, though not the page at any other time (``announcements.review``);
    ``ReviewedPage.publish`` still checks that the review approved it."""
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
