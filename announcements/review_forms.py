"""The medical reviewer's forms: confirm claims and approve, or send back.

Wagtail builds them from the request's data only; the task state travels as
a hidden field so that the claims are those of the revision under review.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.forms import TaskStateCommentForm
from wagtail.models import TaskState

from .review import reviewed_object


class _ClaimsForm(TaskStateCommentForm):
    """The medical reviewer's form: which flagged claims (by key) they
    confirm or send back. The task state travels as a hidden field, so that
    the claims are those of the revision under review."""

    # Absent when another door posts only a comment: the task's own check
    # (``MedicalReviewTask.on_action``) still applies.
    review_step = forms.IntegerField(required=False, widget=forms.HiddenInput)
    claims_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.claims_field] = forms.MultipleChoiceField(
            required=False, widget=forms.MultipleHiddenInput
        )
        self.claims = []
        self.state = None
        if self.is_bound:
            pk = str(self.data.get("review_step") or "")
            state = TaskState.objects.filter(pk=pk).first() if pk.isdigit() else None
            if state is not None:
                self.state = state.specific
                self.reviewed = reviewed_object(
                    self.state.workflow_state.content_object, self.state
                )
                # Those confirmed in an earlier review, while unchanged, are
                # not asked again.
                self.claims, _before = self.reviewed.claims_to_confirm()
        self.fields[self.claims_field].choices = [
            (claim.key, claim.sentence) for claim in self.claims
        ]

    def clean_review_step(self):
        return self.state.pk if self.state is not None else None


class ClaimsApprovalForm(_ClaimsForm):
    claims_field = "confirmed_claims"

    def clean(self):
        cleaned = super().clean()
        if self.state is not None:
            error = self.reviewed.claims_error(
                self.claims, cleaned.get("confirmed_claims") or []
            )
            if error:
                raise forms.ValidationError(error)
        return cleaned


class ClaimsSendBackForm(_ClaimsForm):
    claims_field = "sent_back_claims"

    def clean(self):
        cleaned = super().clean()
        # The editor is told what to change, never only that it came back.
        if not cleaned.get("comment"):
            self.add_error(
                "comment",
                _("Say why the claims go back.")
                if cleaned.get("sent_back_claims")
                else _("Say what to change."),
            )
        return cleaned
