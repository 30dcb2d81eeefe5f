"""The review workflow every release and partner statement goes through."""

from wagtail.models import Workflow, WorkflowPage

from .roles import REVIEW_WORKFLOW


def review_workflow():
    return Workflow.objects.filter(name=REVIEW_WORKFLOW, active=True).first()


def assign_review_workflow(page):
    """Put ``page`` (a release or statement index) under the two-step review."""
    workflow = review_workflow()
    if workflow is None:
        return None
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow
