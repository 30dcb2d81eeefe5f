"""A medical reviewer, in a real browser, confirms the claims of a release
about a trial whose primary outcome was not met: approving is refused until
every flagged sentence is confirmed, then the release moves on to
communications review and the page's history says what was confirmed."""

from django.utils import translation
from django.utils.translation import gettext, ngettext

from wagtail.models import PageLogEntry, WorkflowState
from wagtail.users.models import UserProfile

import pytest
from playwright.sync_api import expect

from announcements.models import Trial
from announcements.models.claims import CLAIMS_CONFIRMED
from announcements.site_tree import ensure_site_tree
from tests.browser import log_in
from tests.factories import build_release, build_trial

pytestmark = pytest.mark.usefixtures("no_autosave")


@pytest.fixture
def in_review(transactional_db, make_user):
    home = ensure_site_tree()
    trial = build_trial(
        home,
        title_fr="MIROCALS",
        title_en="MIROCALS",
        registry_id="NCT03039673",
        primary_endpoint_fr="survie à 21 mois",
        primary_endpoint_en="survival at 21 months",
        primary_outcome_result=Trial.OutcomeResult.NOT_MET,
    )
    editor = make_user("edith", "Editors")
    make_user("marie", "Medical reviewers")
    release = build_release(
        home,
        trial,
        live=False,
        title_fr="L'IL-2 : une percée contre la SLA",
        title_en="IL-2 demonstrates efficacy in ALS",
        standfirst_en="The primary endpoint was not met.",
        # As the editor's form stores rich text (with block keys): otherwise
        # the reviewer's form changes it, and a changed text goes back to
        # medical review (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT).
        body_fr='<p data-block-key="fr1">Corps du communiqué.</p>',
        body_en='<p data-block-key="en1">Body of the release.</p>',
        requires_en=True,
    )
    release.get_workflow().start(release, editor)
    return release


def current_task(page):
    state = WorkflowState.objects.for_instance(page).get(
        status=WorkflowState.STATUS_IN_PROGRESS
    )
    return state.current_task_state.task.name


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_medical_reviewer_confirms_each_claim(
    in_review, live_server, page, django_user_model, language
):
    base = live_server.url
    claims = in_review.flagged_claims()
    # The partner-style headline in each language; the standfirst stating
    # the result is not a claim.
    assert sorted(c.language for c in claims) == ["en", "fr"]
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="marie"))
    profile.preferred_language = language
    profile.save()
    # Names as this process reads them (the reviewer's language aside).
    medical, communications = (
        gettext("Medical review"),
        gettext("Communications review"),
    )
    with translation.override(language):
        approve = gettext("Approve")
        legend = gettext(
            "Tick each claim you confirm as consistent with the primary outcome "
            "and its result"
        )
        history_label = gettext("Claims checked in medical review")
        not_met = str(Trial.OutcomeResult.NOT_MET.label)

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, base, "marie")
    try:
        page.goto(f"{base}/admin/pages/{in_review.pk}/edit/")
        # Beside the text: the trial's primary outcome, its result, the claims.
        panel = page.locator("[data-claims-panel]")
        expect(panel.locator('[data-outcome-result="not_met"]')).to_have_text(not_met)
        expect(panel.locator("[data-claim]")).to_have_count(2)

        page.locator("footer [data-w-dropdown-target=toggle]").last.click()
        page.get_by_role("button", name=approve, exact=True).click()
        modal = page.locator("[data-claims-review]")
        expect(modal.locator("legend")).to_have_text(legend)
        expect(modal.locator('[data-outcome-result="not_met"]')).to_be_visible()
        boxes = modal.locator('input[name="confirmed_claims"]')
        expect(boxes).to_have_count(2)

        # One claim left unconfirmed: refused, with the reason; nothing moves.
        boxes.first.check()
        modal.locator('button[type="submit"]').click()
        with translation.override(language):
            refusal = ngettext(
                "The primary outcome of %(trial)s was not met: confirm the "
                "flagged claim as consistent with it, or send the text back "
                "(%(count)s unconfirmed).",
                "The primary outcome of %(trial)s was not met: confirm each "
                "flagged claim as consistent with it, or send the text back "
                "(%(count)s unconfirmed).",
                1,
            ) % {"trial": "MIROCALS", "count": 1}
        expect(page.locator("[data-claims-review] .messages .error")).to_have_text(
            refusal
        )
        assert current_task(in_review) == medical

        boxes = page.locator('[data-claims-review] input[name="confirmed_claims"]')
        for index in range(boxes.count()):
            boxes.nth(index).check()
        page.locator('[data-claims-review] button[type="submit"]').click()
        # Wagtail's edit page saves and approves, then shows the listing.
        expect(page).to_have_url(f"{base}/admin/pages/{in_review.get_parent().pk}/")
        expect(page.get_by_role("status")).to_contain_text(
            in_review.get_admin_display_title()
        )
        page.wait_for_load_state("networkidle")
        assert current_task(in_review) == communications

        entry = PageLogEntry.objects.get(page=in_review, action=CLAIMS_CONFIRMED)
        assert entry.user.username == "marie"
        assert {c["key"] for c in entry.data["confirmed"]} == {c.key for c in claims}
        page.goto(f"{base}/admin/pages/{in_review.pk}/history/")
        expect(page.locator("main")).to_contain_text(history_label)
        expect(page.locator("main")).to_contain_text(claims[0].sentence)
    finally:
        page.wait_for_load_state("networkidle")
        page.goto("about:blank")
