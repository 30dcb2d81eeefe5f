"""The claims check of medical review, in one home: the claim words, the
rule, and the review step that asks the medical reviewer to confirm each
flagged sentence.

The rule: a release or statement about a trial whose primary outcome was not
met (or is about to be recorded so) does not pass the medical step while a
sentence claiming efficacy or significance is unconfirmed
(``ClaimsCheckedPage.claims_error``, called by ``MedicalReviewTask.on_action``,
which every approval passes: the edit page, the dashboard's and listings'
modal, code); and it is not published by a person, publishers included, while
a claim of the text going out was never confirmed
(``ClaimsCheckedPage.publication_claims_error``, called by
``AnnouncementPage.publish``; the Publish button, bulk publishing and the last
approval on the edit page meet it in ``wagtail_hooks``, with its reason). A
partner's statement is never edited: an editor's note on it answers its
unconfirmed claims, and the approval records the note.

What a claim is and how sentences are read lives in ``announcements.claims``.
"""

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.log_actions import log
from wagtail.models import AbstractGroupApprovalTask, PageLogEntry

from .. import languages
from ..claims import find_claims, says_something
from ..review import reviewed_object
from ..review_forms import ClaimsApprovalForm, ClaimsSendBackForm
from ..scheduling import LIFT_LOG_ACTION

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


class ClaimsCheckedPage:
    """Mixin of the pages about a trial whose claims medical review checks
    (releases and statements), before the page base class."""

    def flagged_claims(self):
        """The flagged sentences of this text (as loaded, or as a revision
        holds it); none for a text about no trial."""
        if not self.trial_id:
            return []
        return find_claims(self, ClaimWords.load().by_language())

    def answering_note(self):
        """The editor's note that answers a partner's claims, ``{language:
        text}``, or None (a release's claims are confirmed, never answered)."""
        if not self.note_answers_claims:
            return None
        notes = {
            code: getattr(self, f"editors_note_{code}", "") or ""
            for code in languages.CODES
        }
        # A mark left in the field (".", " - ") answers nothing.
        if not any(says_something(note) for note in notes.values()):
            return None
        return notes

    def claims_error(self, claims, confirmed):
        """Why this text may not pass with only ``confirmed`` (claim keys) of
        its ``claims`` confirmed, or None."""
        unconfirmed = [claim for claim in claims if claim.key not in set(confirmed)]
        if not unconfirmed:
            return None
        trial = self.trial
        if trial is None or not trial.outcome_not_met():
            return None
        if self.answering_note():
            return None
        return ngettext(
            "The primary outcome of %(trial)s was not met: confirm the flagged "
            "claim as consistent with it, or send the text back (%(count)s "
            "unconfirmed).",
            "The primary outcome of %(trial)s was not met: confirm each flagged "
            "claim as consistent with it, or send the text back (%(count)s "
            "unconfirmed).",
            len(unconfirmed),
        ) % {"trial": trial.title, "count": len(unconfirmed)}

    def confirmed_claim_keys(self):
        """The keys of the claims of this page a medical reviewer confirmed
        against its trial as it stands: a confirmation given about another
        trial, or before the trial's result changed, no longer counts."""
        trial = self.trial if self.trial_id else None
        if trial is None:
            return set()
        keys = set()
        for data in PageLogEntry.objects.filter(
            page_id=self.pk, action=CLAIMS_CONFIRMED
        ).values_list("data", flat=True):
            if (
                data.get("trial") != trial.pk
                or data.get("result") != trial.primary_outcome_result
                or data.get("pending_result") != trial.pending_outcome_result()
            ):
                continue
            keys.update(claim["key"] for claim in data.get("confirmed", []))
            keys.update(claim["key"] for claim in data.get("confirmed_before", []))
        return keys

    def publish(self, revision, *args, user=None, **kwargs):
        """Not, by a person or at an embargo lift, with a claim medical
        review did not confirm about a trial whose primary outcome was not
        met: the trial's result may have been corrected since the approval,
        and a lift refused stays scheduled and is reported (``scheduling``).
        The seed loader publishes its sources as written."""
        if user is not None or kwargs.get("log_action") == LIFT_LOG_ACTION:
            error = revision.as_object().publication_claims_error()
            if error:
                raise PermissionDenied(error)
        return super().publish(revision, *args, user=user, **kwargs)

    def publication_claims_error(self):
        """Why this text (about to go public) may not, or None: the rule at
        publication, for what medical review did not confirm (a publisher's
        own publication, a trial found "not met" since)."""
        claims = self.flagged_claims()
        if not claims:
            return None
        return self.claims_error(claims, self.confirmed_claim_keys())


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
        if not super().get_actions(obj, user):
            return []
        # The same two buttons whether claims are found or not; approving
        # opens the claims form when a claim is left to confirm (one not
        # confirmed in an earlier review while unchanged).
        to_confirm, _before = reviewed_object(obj).claims_to_confirm()
        return [
            ("reject", _("Send back"), True),
            ("approve", _("Approve"), bool(to_confirm)),
            ("approve", _("Approve with comment"), True),
        ]

    def get_form_for_action(self, action):
        if action == "approve":
            return ClaimsApprovalForm
        if action == "reject":
            return ClaimsSendBackForm
        return super().get_form_for_action(action)

    def get_template_for_action(self, action):
        return "announcements/admin/claims_modal.html"

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        confirmed = list(kwargs.pop("confirmed_claims", None) or [])
        sent_back = list(kwargs.pop("sent_back_claims", None) or [])
        kwargs.pop("review_step", None)
        page = task_state.workflow_state.content_object.specific
        reviewed = reviewed_object(page, task_state)
        claims = reviewed.flagged_claims()
        if action_name == "approve":
            # Every door (edit page, dashboard, code) passes here. A sentence
            # confirmed in an earlier review stays confirmed while unchanged.
            before = reviewed.confirmed_claim_keys()
            error = reviewed.claims_error(claims, [*confirmed, *before])
            if error:
                raise PermissionDenied(error)
            if claims:
                log(
                    instance=page,
                    action=CLAIMS_CONFIRMED,
                    user=user,
                    revision=task_state.revision,
                    data={
                        "confirmed": [
                            c.as_record()
                            for c in claims
                            if c.key in confirmed and c.key not in before
                        ],
                        "confirmed_before": [
                            c.as_record() for c in claims if c.key in before
                        ],
                        "unconfirmed": [
                            c.as_record()
                            for c in claims
                            if c.key not in confirmed and c.key not in before
                        ],
                        "trial": reviewed.trial_id,
                        "result": reviewed.trial.primary_outcome_result,
                        "pending_result": reviewed.trial.pending_outcome_result(),
                        "editors_note": reviewed.answering_note(),
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
