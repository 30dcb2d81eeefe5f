"""The embargo dialog as a French editor sees it at 1366 px: it names the
zone, repeats the time in UTC as it is typed, its date picker never covers
the save button, which a real click reaches, and Wagtail's autosave never
stores a time still being typed."""

import datetime

import pytest
from playwright.sync_api import expect

from announcements.models import PressRelease
from announcements.site_tree import ensure_site_tree
from tests.browser import log_in
from tests.factories import build_release, build_trial

PICKED_UTC = datetime.datetime(2030, 6, 15, 8, 0, tzinfo=datetime.UTC)
CONFIRMED = datetime.datetime(2030, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def release(transactional_db, make_user):
    home = ensure_site_tree()
    trial = build_trial(
        home, title_fr="MIROCALS", title_en="MIROCALS", registry_id="NCT03039673"
    )
    make_user("edith", "Editors")
    return build_release(home, trial, live=False, title_fr="Résultats")


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "viewport": {"width": 1366, "height": 768},
    }


def covering_element(page, locator):
    """What a click at the middle of ``locator`` would land on."""
    box = locator.bounding_box()
    return page.evaluate(
        "([x, y]) => { const e = document.elementFromPoint(x, y);"
        " return e && e.closest('button') ? e.closest('button').outerHTML : "
        "(e ? e.outerHTML.slice(0, 200) : null); }",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )


def edit(page, base, release):
    log_in(page, base, "edith")
    page.goto(f"{base}/admin/pages/{release.pk}/edit/")


@pytest.mark.usefixtures("no_autosave")
def test_the_embargo_dialog_in_french_at_1366(release, live_server, page, tmp_path):
    base = live_server.url
    try:
        edit(page, base, release)

        page.locator('[data-side-panel-toggle="status"]').click()
        status = page.locator('[data-side-panel="status"] [data-embargo-status]')
        expect(status).to_contain_text("Pas d’embargo")
        status.get_by_role("button", name="Définir l’embargo").click()
        dialog = page.locator("#schedule-publishing-dialog")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("Embargo (heure de Paris)")

        embargo = dialog.locator("#id_go_live_at")
        embargo.click()
        embargo.press_sequentially("2030-06-15 10:00")
        picker = dialog.locator(".xdsoft_datetimepicker").first
        expect(picker).to_be_visible()  # the picker is open while typing
        expect(dialog.locator("[data-embargo-for=id_go_live_at]")).to_have_text(
            "2030-06-15 10:00 (Paris, UTC+2), soit 08:00 UTC"
        )

        save = dialog.get_by_role("button", name="Enregistrer l’embargo")
        save.scroll_into_view_if_needed()
        expect(save).to_be_in_viewport()
        assert "Enregistrer l’embargo" in (covering_element(page, save) or ""), (
            "the date picker covers the save button"
        )
        picker_box = picker.bounding_box()
        save_box = save.bounding_box()
        assert picker_box["y"] + picker_box["height"] <= save_box["y"]

        save.click()  # a real click, at the button's place
        expect(page.locator(".messages")).to_contain_text("Résultats")
        draft = PressRelease.objects.get(pk=release.pk).get_latest_revision_as_object()
        assert draft.go_live_at == PICKED_UTC

        page.locator('[data-side-panel-toggle="status"]').click()
        expect(status).to_contain_text(
            "15 juin 2030, 10:00 (Paris, UTC+2), soit 08:00 UTC"
        )
        # Leave no request of the admin's (editing-session pings) running
        # while the test database is emptied.
        page.wait_for_load_state("networkidle")
        page.goto("about:blank")
    except Exception:
        page.screenshot(path=tmp_path / "failure.png", full_page=True)
        raise


def test_autosave_never_stores_an_embargo_being_typed(
    release, live_server, page, tmp_path
):
    """Typing in the dialog makes Wagtail autosave the whole form: the embargo
    the page had is kept; "Enregistrer l’embargo" stores the new one."""
    release.go_live_at = CONFIRMED
    release.save_revision()
    # Wagtail looks for changes once it has read the form as loaded.
    page.add_init_script(
        "document.addEventListener('w-unsaved:watch-edits',"
        " () => { window.watchingEdits = true; });"
    )
    try:
        edit(page, live_server.url, release)
        page.wait_for_function("window.watchingEdits === true")
        page.locator('[data-side-panel-toggle="status"]').click()
        page.locator("[data-embargo-status] button").first.click()
        dialog = page.locator("#schedule-publishing-dialog")
        with page.expect_response(
            lambda response: (
                response.request.method == "POST"
                and response.request.headers.get("accept") == "application/json"
            )
        ) as autosave:
            dialog.locator("#id_go_live_at").fill("2031-01-20 09:30")
        assert autosave.value.json()["success"]
        draft = PressRelease.objects.get(pk=release.pk).get_latest_revision_as_object()
        assert draft.go_live_at == CONFIRMED

        dialog.get_by_role("button", name="Enregistrer l’embargo").click()
        expect(page.locator(".messages")).to_contain_text("Résultats")
        draft = PressRelease.objects.get(pk=release.pk).get_latest_revision_as_object()
        assert draft.go_live_at == datetime.datetime(
            2031, 1, 20, 8, 30, tzinfo=datetime.UTC
        )
        page.wait_for_load_state("networkidle")
        page.goto("about:blank")
    except Exception:
        page.screenshot(path=tmp_path / "failure.png", full_page=True)
        raise
