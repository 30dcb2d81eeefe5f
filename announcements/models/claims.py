"""The claims check of medical review: the claim words, and the review step
that asks the medical reviewer to confirm each flagged sentence.

What a claim is and how sentences are read lives in ``announcements.claims``;
the rule that a release about a trial whose primary outcome was not met cannot
pass with an unconfirmed claim lives with the other review rules, in
``announcements.review``.
"""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.log_actions import log
from wagtail.models import AbstractGroupApprovalTask

WORDS_FR = """significatif
significative
significativement
efficacité
efficace
démontre
démontré
démontrant
guérison
guérit
améliore la survie
percée
révolutionnaire"""

WORDS_EN = """significant
efficacy
effective
demonstrates
demonstrated
demonstrating
cure
breakthrough
improves survival
proven"""


@register_setting(icon="warning")
class ClaimWords(BaseGenericSetting):
    """Words that make a sentence an efficacy or significance claim, which the
    medical reviewer checks against the trial's primary result."""

    words_fr = models.TextField(
        _("French claim words"),
        default=WORDS_FR,
        help_text=_(
            "One word or phrase per line; it also finds longer words that start "
            "with it, whatever the accents and case."
        ),
    )
    words_en = models.TextField(
        _("English claim words"),
        default=WORDS_EN,
        help_text=_(
            "One word or phrase per line; it also finds longer words that start "
            "with it, whatever the case."
        ),
    )

    panels = [FieldPanel("words_fr"), FieldPanel("words_en")]

    class Meta:
        verbose_name = _("claim words")

    def by_language(self):
        return {
            "fr": [w.strip() for w in self.words_fr.splitlines() if w.strip()],
            "en": [w.strip() for w in self.words_en.splitlines() if w.strip()],
        }


CLAIMS_CONFIRMED = "newsroom.claims_confirmed"
CLAIMS_SENT_BACK = "newsroom.claims_sent_back"


class MedicalReviewTask(AbstractGroupApprovalTask):
    """The medical review step: a group approval whose reviewers confirm, one
    by one, the sentences that claim efficacy or significance, against the
    trial's primary outcome. Approving records which were confirmed, by whom
    and when, in the page's history."""

    class Meta:
        verbose_name = _("medical review with claims check")
        verbose_name_plural = _("medical reviews with claims check")

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve, confirming each efficacy or "
            "significance claim against the trial's primary outcome."
        )

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if not actions:
            return actions
        from ..review import claims_under_review

        if not claims_under_review(obj):
            return actions
        # With claims to check, approving always goes through the claims form.
        return [
            ("reject", _("Send back"), True),
            ("approve", _("Confirm claims and approve"), True),
        ]

    def get_form_for_action(self, action):
        from ..review_forms import ClaimsApprovalForm, ClaimsSendBackForm

        if action == "approve":
            return ClaimsApprovalForm
        if action == "reject":
            return ClaimsSendBackForm
        return super().get_form_for_action(action)

    def get_template_for_action(self, action):
        return "announcements/admin/claims_modal.html"

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        from ..review import answering_note, check_claims, claims_in, reviewed_object

        confirmed = list(kwargs.pop("confirmed_claims", None) or [])
        sent_back = list(kwargs.pop("sent_back_claims", None) or [])
        kwargs.pop("review_step", None)
        page = task_state.workflow_state.content_object.specific
        reviewed = reviewed_object(page, task_state)
        claims = claims_in(reviewed)
        if action_name == "approve":
            # Every door (edit page, dashboard, code) passes here.
            check_claims(reviewed, claims, confirmed)
            if claims:
                log(
                    instance=page,
                    action=CLAIMS_CONFIRMED,
                    user=user,
                    revision=task_state.revision,
                    data={
                        "confirmed": [
                            c.as_record() for c in claims if c.key in confirmed
                        ],
                        "unconfirmed": [
                            c.as_record() for c in claims if c.key not in confirmed
                        ],
                        "result": reviewed.trial.primary_outcome_result,
                        "pending_result": reviewed.trial.pending_outcome_result(),
                        "editors_note": answering_note(reviewed),
                    },
                )
        elif action_name == "reject" and sent_back:
            log(
                instance=page,
                action=CLAIMS_SENT_BACK,
                user=user,
                revision=task_state.revision,
                data={
                    "sent_back": [c.as_record() for c in claims if c.key in sent_back],
                    "comment": kwargs.get("comment", ""),
                },
            )
        return super().on_action(task_state, user, action_name, **kwargs)
