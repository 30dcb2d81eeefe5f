"""Medical reviewers check every sentence that claims efficacy or
significance against the trial's primary outcome before a release or
statement passes medical review; the page's history records what they
confirmed."""

import json
import re

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import Page, PageLogEntry, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

import pytest
from bs4 import BeautifulSoup

from announcements.claims import claim_words_in, find_claims, sentences
from announcements.models import (
    ClaimWords,
    MedicalReviewTask,
    PartnerPosition,
    PressRelease,
    PressReleaseCorrection,
    Trial,
)
from announcements.models.claims import CLAIMS_CONFIRMED, CLAIMS_SENT_BACK
from announcements.review import reviewed_object
from tests.factories import build_position, build_release, build_trial

WORDS = ClaimWords().by_language()


# Which sentences are claims ---------------------------------------------------


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("fr", "l’IL-2 n’a pas montré de bénéfice significatif sur la survie globale."),
        ("fr", "L'analyse principale montre une différence non significative."),
        ("fr", "Bien que l’essai n’ait pas montré d’efficacité de l’IL-2."),
        ("en", "The primary analysis did not show a significant benefit for survival."),
        ("en", "There is currently no cure for ALS and no effective treatment."),
        ("en", "The trial didn't demonstrate efficacy."),
        (
            "en",
            "The trial did not demonstrate a statistically significant difference.",
        ),
        ("en", "The trial did not meet its primary efficacy endpoint."),
        ("en", "IL-2 was not shown to be effective."),
        ("fr", "L'essai n'a pas montré de différence statistiquement significative."),
        ("fr", "L'essai n'a pas atteint son critère principal d'efficacité."),
        ("en", "IL-2 failed to demonstrate efficacy."),
        # What the trial measured, not what it found.
        ("fr", "Cette étude a évalué l’efficacité et la tolérance de l’IL-2."),
        ("fr", "L'essai évalue l'efficacité de l'IL-2 à faible dose."),
        ("en", "The trial evaluates the efficacy of low-dose IL-2."),
        ("en", "It was designed to assess efficacy and safety."),
        (
            "en",
            "The primary survival analysis did not demonstrate a significant effect.",
        ),
    ],
)
def test_a_sentence_stating_the_result_was_not_significant_is_not_flagged(
    language, sentence
):
    assert claim_words_in(sentence, WORDS[language], language) == []


@pytest.mark.parametrize(
    ("language", "sentence", "words"),
    [
        (
            "en",
            "ILTOO Pharma welcomes the publication of MIROCALS Phase IIb Trial "
            "Results in The Lancet, demonstrating Safety and Efficacy of Low-Dose "
            "IL-2 in ALS",
            ["demonstrating", "Efficacy"],
        ),
        (
            "fr",
            "Cette étude a démontré l’efficacité de l’IL-2.",
            ["démontré", "efficacité"],
        ),
        # A noun of study is no verb of study.
        ("en", "The study demonstrates that IL-2 slows ALS.", ["demonstrates"]),
        ("en", "Studies demonstrated a benefit.", ["demonstrated"]),
        ("en", "The trial tested a breakthrough therapy.", ["breakthrough"]),
        ("fr", "Les mesures significatives de survie.", ["significatives"]),
        ("fr", "L'évaluation démontre l'efficacité.", ["démontre", "efficacité"]),
        (
            "en",
            "IL-2LD significantly improves survival.",
            ["significantly", "improves survival"],
        ),
        (
            "fr",
            "Une percée : l'IL-2 améliore la survie.",
            ["améliore la survie", "percée"],
        ),
        ("fr", "Un bénéfice statistiquement SIGNIFICATIF.", ["SIGNIFICATIF"]),
        (
            "en",
            "Although the primary analysis did not show a significant benefit, a "
            "pre-planned analysis revealed a statistically significant survival "
            "benefit.",
            ["significant"],
        ),
        # A negation elsewhere in the sentence, or one that compares.
        (
            "en",
            "IL-2 is the first treatment without serious side effects to show a "
            "significant survival benefit.",
            ["significant"],
        ),
        (
            "en",
            "Patients who did not receive placebo lived significantly longer.",
            ["significantly"],
        ),
        (
            "en",
            "No other ALS drug has demonstrated such a survival benefit.",
            ["demonstrated"],
        ),
        ("en", "There is no doubt that low-dose IL-2 is effective.", ["effective"]),
        ("fr", "Aucun autre traitement n'a démontré un tel bénéfice.", ["démontré"]),
        (
            "fr",
            "Les patients qui ne recevaient pas le placebo ont vécu "
            "significativement plus longtemps.",
            ["significativement"],
        ),
        ("fr", "Jamais un traitement n'avait été aussi efficace.", ["efficace"]),
        # Hidden from the eye or pasted from a PDF: read as readers see it.
        ("fr", "Un bénéfice signi\u00adficatif sur la survie.", ["signi\u00adficatif"]),
        ("en", "A signif\u200bicant benefit.", ["signif\u200bicant"]),
        ("en", "A signi\ufb01cant benefit.", ["signi\ufb01cant"]),
        ("en", "A \u0455ignificant benefit.", ["\u0455ignificant"]),
        # Words that insist, not negate.
        (
            "en",
            "Patients without exception showed significant improvement.",
            ["significant"],
        ),
        ("en", "IL-2 not only improves survival.", ["improves survival"]),
        (
            "fr",
            "Ces résultats ne laissent aucun doute sur l'efficacité de l'IL-2.",
            ["efficacité"],
        ),
    ],
)
def test_claims_are_flagged_whatever_the_case_and_accents(language, sentence, words):
    assert sorted(claim_words_in(sentence, WORDS[language], language)) == sorted(words)


def test_sentences_of_rich_text():
    assert sentences("<p>One claim. Two claims!</p><h2>Heading</h2>") == [
        "One claim.",
        "Two claims!",
        "Heading",
    ]


def test_every_text_readers_see_is_read(home, trial):
    """Search snippets, social cards, captions, notes and corrections show
    words too: a claim there is flagged like one in the body, once."""
    page = PressRelease(
        title_en="Results",
        seo_title_en="Results",
        search_description_en="IL-2 significantly improves survival in ALS.",
        lead_image_caption_en="A breakthrough for patients.",
        body_en="<p>Results.</p>",
    )
    page.corrections = [
        PressReleaseCorrection(
            date="2025-06-03", note_fr="", note_en="IL-2 is effective."
        )
    ]
    found = {
        c.field: c.sentence for c in find_claims(page, ClaimWords.load().by_language())
    }
    assert found == {
        "search_description": "IL-2 significantly improves survival in ALS.",
        "lead_image_caption": "A breakthrough for patients.",
        "correction": "IL-2 is effective.",
    }
    page.seo_title_en = page.title_en = "IL-2 demonstrates efficacy"
    assert [c.field for c in find_claims(page, ClaimWords.load().by_language())].count(
        "title"
    ) == 1
    assert "seo_title" not in [
        c.field for c in find_claims(page, ClaimWords.load().by_language())
    ]


@pytest.mark.django_db
def test_the_claim_words_are_editable():
    """Editors keep the list in Settings › Claim words; a word added there is
    flagged at once."""
    page = PressRelease(title_en="A promising result.", body_en="")
    assert find_claims(page, ClaimWords.load().by_language()) == []
    words = ClaimWords.load()
    words.words_en += "\npromising"
    words.save()
    [claim] = find_claims(page, ClaimWords.load().by_language())
    assert claim.words == ["promising"]


# The review gate --------------------------------------------------------------


def in_medical_review(page, editor):
    page.get_workflow().start(page, editor)
    state = WorkflowState.objects.for_instance(page).get(
        status=WorkflowState.STATUS_IN_PROGRESS
    )
    task_state = state.current_task_state.specific
    assert isinstance(task_state.task.specific, MedicalReviewTask)
    return task_state


def spun_release(home, trial, result):
    trial.primary_outcome_result = result
    trial.save_revision().publish()
    return build_release(
        home,
        trial,
        live=False,
        title_fr="IL-2 : une percée",
        title_en="IL-2 demonstrates efficacy in ALS",
        standfirst_en="The primary endpoint was not met.",
    )


def action_url(page, action, task_state):
    """Wagtail's review dialog for ``action`` on the step ``task_state``."""
    return reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk)
    )


def current_task(page):
    state = (
        WorkflowState.objects.for_instance(page)
        .filter(status=WorkflowState.STATUS_IN_PROGRESS)
        .first()
    )
    return state and state.current_task_state.task.name


def test_the_medical_step_is_the_claims_check(home):
    from announcements.workflows import review_workflow

    tasks = [t.specific for t in review_workflow().tasks]
    assert [t.name for t in tasks] == [
        gettext("Medical review"),
        gettext("Communications review"),
    ]
    assert isinstance(tasks[0], MedicalReviewTask)
    assert tasks[0].active


def test_unconfirmed_claims_cannot_pass_medical_review_when_not_met(
    home, trial, people
):
    """Every door meets the rule: the task refuses the approval itself."""
    release = spun_release(home, trial, Trial.OutcomeResult.NOT_MET)
    task_state = in_medical_review(release, people["editor"])
    claims = release.flagged_claims()
    assert {c.language for c in claims} == {"fr", "en"}
    task = task_state.task.specific
    with pytest.raises(PermissionDenied, match="MIROCALS"):
        task.on_action(task_state, people["medical"], "approve")
    with pytest.raises(PermissionDenied):
        task.on_action(
            task_state,
            people["medical"],
            "approve",
            confirmed_claims=[claims[0].key],
        )
    assert current_task(release) == gettext("Medical review")
    task.on_action(
        task_state,
        people["medical"],
        "approve",
        confirmed_claims=[c.key for c in claims],
        comment="",
    )
    assert current_task(release) == gettext("Communications review")


def test_approval_records_which_claims_were_confirmed_by_whom_and_when(
    home, trial, people, client
):
    """Through the admin's approval form; the page's history says it."""
    release = spun_release(home, trial, Trial.OutcomeResult.NOT_MET)
    task_state = in_medical_review(release, people["editor"])
    claims = release.flagged_claims()
    client.force_login(people["medical"])
    url = action_url(release, "approve", task_state)
    # The form shows the trial's outcome and result beside each claim.
    form = client.get(url).json()["html"]
    assert "non atteint" in form or "not met" in form
    for claim in claims:
        assert claim.key in form
    # Approving without confirming: the form says why, nothing moves.
    refused = client.post(
        url,
        {"review_step": task_state.pk, "comment": ""},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert refused.json()["step"] == "action"
    assert current_task(release) == gettext("Medical review")
    client.post(
        url,
        {
            "review_step": task_state.pk,
            "confirmed_claims": [c.key for c in claims],
            "comment": "",
        },
    )
    assert current_task(release) == gettext("Communications review")
    entry = PageLogEntry.objects.get(page=release, action=CLAIMS_CONFIRMED)
    assert entry.user == people["medical"]
    assert entry.timestamp is not None
    assert sorted(c["sentence"] for c in entry.data["confirmed"]) == sorted(
        c.sentence for c in claims
    )
    history = client.get(reverse("wagtailadmin_pages:history", args=[release.pk]))
    assert claims[0].sentence in history.text


def test_approving_from_the_edit_page_meets_the_same_gate(home, trial, people, client):
    """The edit page's approve button collects the confirmations in a modal,
    then posts them with the page's form; a post without them is refused."""
    trial.primary_outcome_result = Trial.OutcomeResult.NOT_MET
    trial.save_revision().publish()
    # Rich text as the editor's form stores it, so that the reviewer's form
    # changes nothing (a changed text goes back to medical review).
    release = build_release(
        home,
        trial,
        live=False,
        title_en="IL-2 demonstrates efficacy in ALS",
        body_fr='<p data-block-key="fr1">Corps.</p>',
        body_en='<p data-block-key="en1">Body.</p>',
        requires_en=True,
    )
    task_state = in_medical_review(release, people["editor"])
    claims = release.flagged_claims()
    client.force_login(people["medical"])
    edit = reverse("wagtailadmin_pages:edit", args=(release.pk,))
    form = querydict_from_html(client.get(edit).text, form_id="page-edit-form")
    form.update({"requires_fr": "on", "requires_en": "on"})
    form.update({"action-workflow-action": "true", "workflow-action-name": "approve"})

    client.post(edit, form)
    assert current_task(release) == gettext("Medical review")
    assert not PageLogEntry.objects.filter(page=release, action=CLAIMS_CONFIRMED)

    collected = client.post(
        reverse(
            "wagtailadmin_pages:collect_workflow_action_data",
            args=(release.pk, "approve", task_state.pk),
        ),
        {"review_step": task_state.pk, "confirmed_claims": [c.key for c in claims]},
    ).json()
    assert collected["step"] == "success"
    form["workflow-action-extra-data"] = json.dumps(collected["cleaned_data"])
    assert client.post(edit, form).status_code == 302
    assert current_task(release) == gettext("Communications review")
    entry = PageLogEntry.objects.get(page=release, action=CLAIMS_CONFIRMED)
    assert entry.user == people["medical"]


# The same rule at publication ------------------------------------------------


def is_live(page):
    return Page.objects.get(pk=page.pk).live


def messages_of(response):
    html = BeautifulSoup(response.content, "html.parser")
    for button in html.select(".messages li button"):
        button.decompose()  # Wagtail's "Go to the first error"
    return [" ".join(item.get_text().split()) for item in html.select(".messages li")]


def test_a_publisher_does_not_publish_unconfirmed_claims_by_any_door(
    home, trial, people, client
):
    """Publishers skip review, not the claims check: the edit page says why,
    bulk publishing says why, code meets the model's refusal. The scheduler
    (no user) lifts what was approved."""
    release = spun_release(home, trial, Trial.OutcomeResult.NOT_MET)
    with translation.override("fr"):
        reason = release.publication_claims_error()
    client.force_login(people["publisher"])
    edit = reverse("wagtailadmin_pages:edit", args=(release.pk,))
    form = querydict_from_html(client.get(edit).text, form_id="page-edit-form")
    form.update({"requires_fr": "on", "requires_en": "on", "action-publish": "on"})
    form["standfirst_en"] = "Edited by the publisher."
    refused = client.post(edit, form, follow=True)
    assert messages_of(refused) == [
        f"Non publié, enregistré comme brouillon : {reason}"
    ]
    assert not is_live(release)
    # Nothing the publisher wrote is lost: it is the latest draft.
    latest = PressRelease.objects.get(pk=release.pk).get_latest_revision().as_object()
    assert latest.standfirst_en == "Edited by the publisher."

    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client.post(f"{url}?id={release.pk}&next=/admin/pages/", {})
    [message] = messages_of(client.get(response.url, follow=True))
    assert message.startswith("Rien n’a été publié : ")
    assert not is_live(release)
    # The same through the index, with its drafts below it.
    index = release.get_parent()
    response = client.post(
        f"{url}?id={index.pk}&next=/admin/pages/", {"include_descendants": "on"}
    )
    assert messages_of(client.get(response.url, follow=True))[0].startswith(
        "Rien n’a été publié"
    )
    assert not is_live(release)

    revision = release.save_revision(user=people["publisher"])
    with pytest.raises(PermissionDenied, match="MIROCALS"):
        revision.publish(user=people["publisher"])
    assert not is_live(release)

    # Once medical review confirmed each claim, the publisher may.
    task_state = in_medical_review(release, people["editor"])
    task_state.task.specific.on_action(
        task_state,
        people["medical"],
        "approve",
        confirmed_claims=[c.key for c in release.flagged_claims()],
    )
    release.get_latest_revision().publish(user=people["publisher"])
    assert is_live(release)


def test_a_result_recorded_after_medical_review_stops_the_last_approval(
    home, trial, people, client
):
    """The trial turned out "not met" once the release had passed medical
    review: the communications reviewer's approval would publish claims
    nobody confirmed, and is refused; nothing moves."""
    release = spun_release(home, trial, Trial.OutcomeResult.NOT_REPORTED)
    task_state = in_medical_review(release, people["editor"])
    task_state.task.specific.on_action(task_state, people["medical"], "approve")
    assert current_task(release) == gettext("Communications review")
    trial.primary_outcome_result = Trial.OutcomeResult.NOT_MET
    trial.save_revision().publish()
    state = release.current_workflow_task_state
    with pytest.raises(PermissionDenied, match="MIROCALS"):
        state.task.specific.on_action(state, people["communications"], "approve")
    assert current_task(release) == gettext("Communications review")
    assert not is_live(release)
    # From the edit page: the reason, and nothing saved.
    client.force_login(people["communications"])
    edit = reverse("wagtailadmin_pages:edit", args=(release.pk,))
    form = querydict_from_html(client.get(edit).text, form_id="page-edit-form")
    form.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
    revisions = release.revisions.count()
    refused = client.post(edit, form, follow=True)
    with translation.override("fr"):
        reason = reviewed_object(release).publication_claims_error()
    assert messages_of(refused) == [reason]
    assert release.revisions.count() == revisions
    assert current_task(release) == gettext("Communications review")


def test_a_not_met_result_awaiting_review_already_counts(home, trial, people):
    """The trial's change to "not met" is still in review: the medical
    reviewer checks claims against it, and the form says it. A draft nobody
    submitted says nothing yet."""
    release = spun_release(home, trial, Trial.OutcomeResult.NOT_REPORTED)
    trial.primary_outcome_result = Trial.OutcomeResult.NOT_MET
    trial.save_revision(user=people["editor"])
    assert Trial.objects.get(pk=trial.pk).pending_outcome_result() is None
    trial.get_workflow().start(trial, people["editor"])
    task_state = in_medical_review(release, people["editor"])
    with pytest.raises(PermissionDenied, match="MIROCALS"):
        task_state.task.specific.on_action(task_state, people["medical"], "approve")
    assert Trial.objects.get(pk=trial.pk).get_pending_outcome_result_display() == (
        Trial.OutcomeResult.NOT_MET.label
    )


def test_the_trial_under_review_is_the_revisions(home, trial, people):
    """A release moved, in its draft, from a met trial to a not-met one is
    checked against the not-met one."""
    trial.primary_outcome_result = Trial.OutcomeResult.NOT_MET
    trial.save_revision().publish()
    other = build_trial(
        home,
        registry_id="NCT01234567",
        primary_outcome_result=Trial.OutcomeResult.MET,
    )
    release = build_release(
        home, other, live=True, title_en="IL-2 demonstrates efficacy in ALS"
    )
    draft = PressRelease.objects.get(pk=release.pk)
    draft.trial = trial
    draft.save_revision(user=people["editor"])
    task_state = in_medical_review(release, people["editor"])
    with pytest.raises(PermissionDenied, match="MIROCALS"):
        task_state.task.specific.on_action(task_state, people["medical"], "approve")


def test_claims_are_sent_back_with_a_comment(home, trial, people, client):
    release = spun_release(home, trial, Trial.OutcomeResult.NOT_MET)
    task_state = in_medical_review(release, people["editor"])
    [claim, *_] = release.flagged_claims()
    client.force_login(people["medical"])
    url = action_url(release, "reject", task_state)
    client.post(
        url,
        {
            "review_step": task_state.pk,
            "sent_back_claims": [claim.key],
            "comment": "The primary endpoint was not met.",
        },
    )
    assert current_task(release) is None
    entry = PageLogEntry.objects.get(page=release, action=CLAIMS_SENT_BACK)
    assert entry.data["comment"] == "The primary endpoint was not met."
    assert entry.data["sent_back"][0]["sentence"] == claim.sentence


def test_a_claim_hidden_by_an_invisible_character_stops_medical_review(
    home, trial, people
):
    """Pasted with a soft hyphen, a claim is still shown to the reviewer and
    still stops the approval until confirmed."""
    trial.primary_outcome_result = Trial.OutcomeResult.NOT_MET
    trial.save_revision().publish()
    release = build_release(
        home,
        trial,
        live=False,
        title_fr="MIROCALS : résultats",
        title_en="MIROCALS: results",
        standfirst_fr="Un bénéfice signi\u00adficatif sur la survie.",
    )
    task_state = in_medical_review(release, people["editor"])
    assert [claim.words for claim in release.flagged_claims()] == [
        ["signi\u00adficatif"]
    ]
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, people["medical"], "approve")
    assert current_task(release) == gettext("Medical review")


def test_when_the_outcome_was_met_claims_need_no_confirmation(home, trial, people):
    release = spun_release(home, trial, Trial.OutcomeResult.MET)
    task_state = in_medical_review(release, people["editor"])
    task_state.task.specific.on_action(task_state, people["medical"], "approve")
    assert current_task(release) == gettext("Communications review")


def test_an_editors_note_answers_a_partners_claims(home, trial, people):
    """A partner's words are never edited: the editor's note goes out with
    them instead of the reviewer's confirmation."""
    trial.primary_outcome_result = Trial.OutcomeResult.NOT_MET
    trial.save_revision().publish()
    statement = build_position(
        home, trial, live=False, title_en="Demonstrating efficacy", requires_en=True
    )
    task_state = in_medical_review(statement, people["editor"])
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, people["medical"], "approve")
    task_state.workflow_state.cancel(user=people["editor"])
    statement = PartnerPosition.objects.get(pk=statement.pk)
    # A mark left in the field answers nothing.
    for mark in (".", " - "):
        statement.editors_note_en = mark
        statement.save_revision()
        task_state = in_medical_review(statement, people["editor"])
        with pytest.raises(PermissionDenied):
            task_state.task.specific.on_action(task_state, people["medical"], "approve")
        task_state.workflow_state.cancel(user=people["editor"])
        statement = PartnerPosition.objects.get(pk=statement.pk)
    statement.editors_note_en = (
        "The primary endpoint was not met; see the trial record."
    )
    statement.save_revision()
    task_state = in_medical_review(statement, people["editor"])
    task_state.task.specific.on_action(task_state, people["medical"], "approve")
    assert current_task(statement) == gettext("Communications review")
    # The approval records the note that answered the claims.
    entry = PageLogEntry.objects.get(page=statement, action=CLAIMS_CONFIRMED)
    assert entry.data["editors_note"]["en"] == statement.editors_note_en
    assert entry.user == people["medical"]


def test_the_edit_page_shows_the_claims_beside_the_outcome(home, trial, people, client):
    release = spun_release(home, trial, Trial.OutcomeResult.NOT_MET)
    client.force_login(people["editor"])
    page = client.get(reverse("wagtailadmin_pages:edit", args=[release.pk])).text
    assert "data-claims-panel" in page
    assert 'data-outcome-result="not_met"' in page
    for claim in release.flagged_claims():
        assert f'data-claim="{claim.key}"' in page
    # It says what it read: the text as last saved, not what is being typed.
    assert "Lu dans le texte tel qu’enregistré" in page


def test_medical_reviewers_and_publishers_keep_the_claim_words(home, make_user, client):
    """Settings › Claim words: the medical reviewers' list, not the writers'."""
    url = reverse("wagtailsettings:edit", args=["announcements", "claimwords"])
    for username, group, allowed in (
        ("marie", "Medical reviewers", True),
        ("paul", "Publishers", True),
        ("edith", "Editors", False),
    ):
        client.force_login(make_user(username, group))
        response = client.get(url, follow=True)
        shown = response.status_code == 200 and "words_en" in response.text
        assert shown is allowed, username


def confirmed_in_medical_review(home, trial, people):
    """A spun release whose every claim the medical reviewer confirmed."""
    release = spun_release(home, trial, Trial.OutcomeResult.NOT_MET)
    task_state = in_medical_review(release, people["editor"])
    claims = release.flagged_claims()
    task_state.task.specific.on_action(
        task_state,
        people["medical"],
        "approve",
        confirmed_claims=[c.key for c in claims],
        comment="",
    )
    return release, claims


def test_a_claim_confirmed_once_is_not_asked_again_while_unchanged(
    home, trial, people, client
):
    """A typo corrected elsewhere sends the text back to medical review: the
    reviewer is asked only about new or changed sentences; the unchanged
    claims are listed as confirmed earlier, and the approval passes."""
    release, claims = confirmed_in_medical_review(home, trial, people)
    # The communications reviewer sends it back for a typo; the editor
    # fixes it and changes one claim's wording, then resubmits.
    communications = WorkflowState.objects.for_instance(release).get(
        status=WorkflowState.STATUS_IN_PROGRESS
    )
    communications.current_task_state.specific.task.specific.on_action(
        communications.current_task_state.specific,
        people["communications"],
        "reject",
        comment="Typo in the standfirst.",
    )
    release = PressRelease.objects.get(pk=release.pk)
    release.standfirst_en = "The primary endpoint was not met overall."
    release.title_en = "IL-2 demonstrates efficacy in some patients"
    release.save_revision(user=people["editor"])
    # The editor restarts the review (Wagtail's "Restart workflow").
    WorkflowState.objects.for_instance(release).get(
        status=WorkflowState.STATUS_NEEDS_CHANGES
    ).cancel(user=people["editor"])
    task_state = in_medical_review(release, people["editor"])

    client.force_login(people["medical"])
    url = action_url(release, "approve", task_state)
    form = BeautifulSoup(client.get(url).json()["html"], "html.parser")
    asked = [box["value"] for box in form.select('input[name="confirmed_claims"]')]
    changed = [
        c
        for c in reviewed_object(release, task_state).flagged_claims()
        if c.key in asked
    ]
    assert [c.sentence for c in changed] == [
        "IL-2 demonstrates efficacy in some patients"
    ]
    earlier = form.select_one("[data-confirmed-before]")
    assert "IL-2 : une percée" in earlier.text
    # Without confirming the changed claim: refused; with it: approved.
    refused = client.post(
        url,
        {"review_step": task_state.pk, "comment": ""},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert refused.json()["step"] == "action"
    client.post(
        url,
        {"review_step": task_state.pk, "confirmed_claims": asked, "comment": ""},
    )
    assert current_task(release) == gettext("Communications review")
    latest = PageLogEntry.objects.filter(page=release, action=CLAIMS_CONFIRMED).latest(
        "timestamp"
    )
    assert [c["sentence"] for c in latest.data["confirmed"]] == [
        "IL-2 demonstrates efficacy in some patients"
    ]
    assert "IL-2 : une percée" in [
        c["sentence"] for c in latest.data["confirmed_before"]
    ]


def test_the_medical_steps_buttons_keep_their_names_with_or_without_claims(
    home, trial, people, client
):
    trial.primary_outcome_result = Trial.OutcomeResult.NOT_MET
    trial.save_revision().publish()
    with_claims = spun_release(home, trial, Trial.OutcomeResult.NOT_MET)
    without = build_release(home, trial, live=False, title_en="A plain title")
    client.force_login(people["medical"])
    names = {}
    for release in (with_claims, without):
        in_medical_review(release, people["editor"])
        html = BeautifulSoup(
            client.get(reverse("wagtailadmin_pages:edit", args=(release.pk,))).content,
            "html.parser",
        )
        names[release.pk] = sorted(
            button.get_text(strip=True)
            for button in html.select("button[data-workflow-action-name]")
        )
    assert names[with_claims.pk] == names[without.pk]
    assert names[without.pk] == [
        "Approuver",
        "Approuver avec un commentaire",
        "Renvoyer",
    ]


def test_the_approval_dialog_says_claims_are_to_confirm(home, trial, people, client):
    """Both approval buttons open the claims dialog while a claim is left to
    confirm: it is titled for what it asks, not "Approve with comment"."""
    with_claims = spun_release(home, trial, Trial.OutcomeResult.NOT_MET)
    without = build_release(home, trial, live=False, title_en="A plain title")
    client.force_login(people["medical"])
    dialogs = {}
    for release in (with_claims, without):
        task_state = in_medical_review(release, people["editor"])
        url = action_url(release, "approve", task_state)
        html = BeautifulSoup(client.get(url).json()["html"], "html.parser")
        dialogs[release] = (
            html.find(["h1", "h2"]).get_text(strip=True),
            html.select_one('button[type="submit"]').get_text(strip=True),
        )
    assert dialogs[with_claims] == (
        "Confirmer les affirmations et approuver",
        "Approuver",
    )
    assert dialogs[without] == (
        "Approuver avec un commentaire",
        "Approuver avec un commentaire",
    )


def test_a_text_is_sent_back_with_what_to_change(
    home, trial, people, client, mailoutbox
):
    """The medical reviewer says what to change. Wagtail's communications step
    may send back without a comment: the editor's mail then promises none."""
    release = build_release(home, trial, live=False, title_en="A plain title")
    task_state = in_medical_review(release, people["editor"])
    client.force_login(people["medical"])
    url = action_url(release, "reject", task_state)
    refused = client.post(
        url,
        {"review_step": task_state.pk, "comment": ""},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert refused.json()["step"] == "action"
    assert "Dites ce qu’il faut modifier." in refused.json()["html"]
    assert current_task(release) == gettext("Medical review")

    task_state.approve(user=people["medical"])
    state = WorkflowState.objects.for_instance(release).get(
        status=WorkflowState.STATUS_IN_PROGRESS
    )
    mailoutbox.clear()
    client.force_login(people["communications"])
    client.post(
        action_url(release, "reject", state.current_task_state),
        {"comment": ""},
    )
    assert current_task(release) is None
    [mail] = [m for m in mailoutbox if m.to == [people["editor"].email]]
    assert "commentaire" not in mail.body
    assert "soumettez-le de nouveau à la relecture :" in mail.body


def test_a_text_sent_back_says_so_in_the_mail_and_on_its_edit_page(
    home, trial, people, client, mailoutbox
):
    release = spun_release(home, trial, Trial.OutcomeResult.NOT_MET)
    task_state = in_medical_review(release, people["editor"])
    mailoutbox.clear()
    client.force_login(people["medical"])
    client.post(
        action_url(release, "reject", task_state),
        {"review_step": task_state.pk, "comment": "Say the endpoint was not met."},
    )
    [mail] = [m for m in mailoutbox if m.to == [people["editor"].email]]
    assert "renvoyé en Relecture médicale" in mail.subject
    assert "rejet" not in (mail.subject + mail.body).lower()
    assert "Son commentaire : « Say the endpoint was not met. »" in mail.body
    # A hospital's mail greets its people as it would a colleague.
    assert mail.body.split()[0] == "Bonjour"
    assert f"/admin/pages/{release.pk}/edit/" in mail.body

    client.force_login(people["editor"])
    html = BeautifulSoup(
        client.get(reverse("wagtailadmin_pages:edit", args=(release.pk,))).content,
        "html.parser",
    )
    notice = html.select_one("[data-sent-back]")
    assert "Renvoyé par" in notice.text and "Relecture médicale" in notice.text
    assert "Say the endpoint was not met." in notice.text
    assert re.search(r"\d\d:\d\d (CET|CEST)", notice.text), notice.text
    # Wagtail's status panel says when, in French too.
    import datetime

    import time_machine

    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=2)
    with time_machine.travel(later):
        text = client.get(reverse("wagtailadmin_pages:edit", args=(release.pk,))).text
    assert "Modifications demandées il y a 2\xa0minutes" in text
    assert " ago" not in text


def test_a_confirmation_counts_only_for_the_trial_and_result_it_was_given_about(
    home, trial, people
):
    """Moved to another trial, or its trial's result changed, the release's
    claims are asked again."""
    release, claims = confirmed_in_medical_review(home, trial, people)
    assert release.confirmed_claim_keys() == {c.key for c in claims}
    WorkflowState.objects.for_instance(release).get(
        status=WorkflowState.STATUS_IN_PROGRESS
    ).cancel(user=people["editor"])

    other = build_trial(home, registry_id="NCT07070707")
    other.primary_outcome_result = Trial.OutcomeResult.NOT_MET
    other.save_revision().publish()
    release = PressRelease.objects.get(pk=release.pk)
    release.trial = other
    release.save_revision(user=people["editor"])
    task_state = in_medical_review(release, people["editor"])
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(
            task_state, people["medical"], "approve", comment=""
        )
    assert reviewed_object(release, task_state).confirmed_claim_keys() == set()
