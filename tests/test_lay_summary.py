"""A trial's results explained to patients and families: written in French
and English in the sections of Regulation (EU) No 536/2014 (Annex V),
reviewed as a result is (medical review checks its claims), and read on the
trial's page, on its own page, in the API and in the trial's feed."""

import datetime
import io
import json
import subprocess
import xml.etree.ElementTree as ET
import zipfile

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

import pytest
import time_machine
from bs4 import BeautifulSoup
from pypdf import PdfReader

from announcements import readability
from announcements.models import GlossaryTerm, Institution, LaySummary, Trial
from tests import factories
from tests.factories import (
    build_release,
    build_trial,
    feed_url,
    placebo_term,
    schedule,
    url_in,
)
from tests.support import read_sitemap
from tests.test_html_validity import CHECKER

RESULTS_FR = (
    "Le médicament n’a pas allongé la vie des malades de façon certaine. "
    "Il a été bien toléré."
)
RESULTS_EN = (
    "The medicine did not clearly help people live longer. It was well tolerated."
)
LIMITS_FR = "Un essai plus grand est nécessaire pour savoir si le médicament aide."
LIMITS_EN = "A larger trial is needed to know whether the medicine helps."


def summary_fields(**overrides):
    return {
        "title_fr": "MIROCALS expliqué aux patients",
        "title_en": "MIROCALS explained to patients",
        "slug_fr": "pour-les-patients",
        "slug_en": "for-patients",
        "why_fr": "Les médecins voulaient savoir si un médicament aide contre la SLA.",
        "why_en": "Doctors wanted to know whether a medicine helps against ALS.",
        "results_fr": RESULTS_FR,
        "results_en": RESULTS_EN,
        "limits_fr": LIMITS_FR,
        "limits_en": LIMITS_EN,
        **overrides,
    }


def build_summary(trial, live=True, **overrides):
    return factories.build_summary(trial, live=live, **summary_fields(**overrides))


def add_url(trial):
    return reverse(
        "wagtailadmin_pages:add", args=("announcements", "laysummary", trial.pk)
    )


def workflow_action(client, user, page, action="approve", **data):
    state = WorkflowState.objects.for_instance(page).get(
        status=WorkflowState.STATUS_IN_PROGRESS
    )
    client.force_login(user)
    return client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, action, state.current_task_state.pk),
        ),
        {"comment": "", **data},
    )


def current_task(page):
    state = (
        WorkflowState.objects.for_instance(page)
        .filter(status=WorkflowState.STATUS_IN_PROGRESS)
        .first()
    )
    return state and state.current_task_state.task.name


def test_written_submitted_reviewed_and_read_everywhere(trial, people, client):
    client.force_login(people["editor"])
    url = add_url(trial)
    form = client.get(url)
    assert form.status_code == 200
    data = querydict_from_html(form.text, form_id="page-edit-form")
    data.update(summary_fields(limits_fr=""))
    data["action-submit"] = "action-submit"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "un résumé pour les patients donne ses résultats" in refused.text
    assert not LaySummary.objects.exists()

    data["limits_fr"] = LIMITS_FR
    assert client.post(url, data).status_code == 302
    summary = LaySummary.objects.get()
    assert summary.trial_id == trial.pk and not summary.live
    assert current_task(summary) == gettext("Medical review")
    for language in ("fr", "en"):
        assert client.get(url_in(summary, language)).status_code == 404

    workflow_action(client, people["medical"], summary)
    assert current_task(summary) == gettext("Communications review")
    workflow_action(client, people["communications"], summary)
    summary.refresh_from_db()
    assert summary.live

    client.logout()
    for language, results, limits, heading in (
        ("fr", RESULTS_FR, LIMITS_FR, "Pour les patients et leurs proches"),
        ("en", RESULTS_EN, LIMITS_EN, "For patients and families"),
    ):
        page = BeautifulSoup(client.get(url_in(trial, language)).text, "html.parser")
        teaser = page.select_one(".lay-summary-teaser")
        assert teaser.h2.get_text() == heading
        assert results in teaser.get_text() and limits in teaser.get_text()
        # Above what the organisations said.
        assert page.find_all("section").index(teaser) < page.find_all("section").index(
            page.select_one(".statements")
        )
        link = teaser.select("a")[-1]["href"]
        assert link == url_in(summary, language)
        own = BeautifulSoup(client.get(link).text, "html.parser")
        headings = [h2.get_text() for h2 in own.select(".lay-section h2")]
        assert len(headings) == 3  # why, results, limits: only what is written
        assert results in own.get_text()


def test_required_sections_hold_at_every_publication(trial):
    summary = build_summary(trial, live=False, limits_fr="")
    with pytest.raises(PermissionDenied):
        summary.get_latest_revision().publish()
    # English is optional; once written, its results and limits are required.
    summary.limits_fr = LIMITS_FR
    summary.results_en = ""
    revision = summary.save_revision()
    with pytest.raises(PermissionDenied):
        revision.publish()
    summary.results_en = summary.limits_en = summary.why_en = ""
    summary.save_revision().publish()
    summary.refresh_from_db()
    assert summary.live


def test_a_summary_of_a_trial_not_met_cannot_say_it_works_unconfirmed(
    trial, people, client
):
    trial.primary_outcome_result = Trial.OutcomeResult.NOT_MET
    trial.save_revision().publish()
    summary = build_summary(
        trial,
        live=False,
        results_fr="Le traitement est efficace contre la SLA.",
        results_en="The treatment is effective against ALS.",
    )
    summary.get_workflow().start(summary, people["editor"])
    claims = summary.flagged_claims()
    assert {(c.language, c.field) for c in claims} >= {("fr", "results")}
    task_state = (
        WorkflowState.objects.for_instance(summary)
        .get(status=WorkflowState.STATUS_IN_PROGRESS)
        .current_task_state
    )
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, people["medical"], "approve")
    assert current_task(summary) == gettext("Medical review")
    # A publisher cannot publish it past the check either.
    with pytest.raises(PermissionDenied):
        summary.get_latest_revision().publish(user=people["publisher"])


def test_the_glossary_explains_the_words_the_summary_uses(trial, client):
    placebo_term()
    GlossaryTerm.objects.create(
        term_fr="biomarqueur",
        term_en="biomarker",
        definition_fr="Une mesure dans le sang.",
        definition_en="A measure in the blood.",
    )
    summary = build_summary(
        trial,
        treatments_fr="Certains ont reçu le médicament, d’autres un placebo. "
        "Le placebo ressemble au médicament.",
        treatments_en="Some got the medicine, others a placebo.",
    )
    for language, definition in (
        ("fr", "Un produit sans médicament actif."),
        ("en", "A product with no active medicine."),
    ):
        page = BeautifulSoup(client.get(url_in(summary, language)).text, "html.parser")
        links = page.select("a.glossary-term")
        # The first use links to the definition, written out below.
        assert [a.get_text().lower() for a in links] == ["placebo"]
        target = page.select_one(links[0]["href"])
        assert target.name == "dt" and target.get_text() == "placebo"
        assert target.find_next_sibling("dd").get_text() == definition
        # Only the words used are explained.
        assert "biomark" not in page.select_one(".glossary").get_text().lower()


def test_the_glossary_is_read_by_everyone_and_changed_by_publishers(
    trial, people, client
):
    """A definition is printed on every live summary using its word, with no
    review: editors and reviewers read the glossary, publishers add, change
    and remove its terms."""
    term = placebo_term()
    snippet = "wagtailsnippets_announcements_glossaryterm"
    listing = reverse(f"{snippet}:list")
    add = reverse(f"{snippet}:add")
    edit = reverse(f"{snippet}:edit", args=(term.pk,))
    delete = reverse(f"{snippet}:delete", args=(term.pk,))
    changed = {
        "term_fr": "placebo",
        "term_en": "placebo",
        "definition_fr": "Texte non relu.",
        "definition_en": "Unreviewed text.",
    }
    for role in ("editor", "medical", "communications"):
        client.force_login(people[role])
        assert "placebo" in client.get(listing).text, role
        for url in (add, edit, delete):
            assert client.get(url).status_code in (302, 403), (role, url)
        client.post(edit, changed)
        client.post(add, {**changed, "term_fr": "biomarqueur"})
        client.post(delete)
        assert list(GlossaryTerm.objects.values_list("definition_en", flat=True)) == [
            "A product with no active medicine."
        ], role

    client.force_login(people["publisher"])
    assert client.post(edit, changed).status_code == 302
    assert GlossaryTerm.objects.get(pk=term.pk).definition_en == "Unreviewed text."
    assert client.post(delete).status_code == 302
    assert not GlossaryTerm.objects.exists()


def test_announced_in_the_trials_feed(trial, client):
    summary = build_summary(trial)
    for language, heading in (
        ("fr", "Pour les patients et leurs proches"),
        ("en", "For patients and families"),
    ):
        url = feed_url(language, "trial", trial.registry_id)
        root = ET.fromstring(client.get(url).content)
        links = [item.findtext("link") for item in root.iter("item")]
        assert f"http://testserver{url_in(summary, language)}" in links
        # The feed opened in a browser lists it too.
        page = BeautifulSoup(
            client.get(url, HTTP_SEC_FETCH_DEST="document").text, "html.parser"
        )
        card = page.select_one(".lay-summary-card")
        assert heading in card.get_text()
        assert card.a["href"] == url_in(summary, language)


def test_in_the_read_api(trial, client):
    summary = build_summary(trial)
    data = client.get(f"/en/api/v2/trials/{trial.pk}/").json()
    lay = data["lay_summary"]
    assert lay["html_url"] == f"http://testserver{url_in(summary, 'en')}"
    assert lay["sections"]["results"] == RESULTS_EN
    assert lay["sections"]["limits"] == LIMITS_EN
    assert "side_effects" not in lay["sections"]


def test_a_summary_is_read_only_while_its_trial_is_public(home, client, committed):
    """A summary published while its trial is still under embargo, or left
    live when its trial is withdrawn, names the trial: it is nowhere until
    the trial is public (its address, search, the sitemap, its share card),
    then everywhere."""
    embargo = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    trial = build_trial(
        home, live=False, title_fr="SECRETACRO", title_en="SECRETACRO", slug_en="secret"
    )
    schedule(trial, embargo)
    summary = build_summary(trial)
    assert LaySummary.objects.get(pk=summary.pk).live

    def seen():
        summary.refresh_from_db()
        urls = {language: url_in(summary, language) for language in ("fr", "en")}
        sitemap = " ".join(read_sitemap(client))
        found = client.get("/en/search/", {"q": "medicine"}).text
        card = f"/en/share/{summary.pk}-{summary.live_revision_id}.png"
        return {
            "fr address": client.get(urls["fr"]).status_code == 200,
            "en address": client.get(urls["en"]).status_code == 200,
            "search": urls["en"] in found,
            "sitemap": urls["en"] in sitemap,
            "share card": client.get(card).status_code == 200,
        }

    assert not any(seen().values()), seen()
    with time_machine.travel(embargo + datetime.timedelta(minutes=1), tick=False):
        with committed():
            call_command("publish_scheduled", stdout=io.StringIO())
        assert all(seen().values()), seen()
        with committed():
            Trial.objects.get(pk=trial.pk).unpublish()
        assert not any(seen().values()), seen()


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # 12 words of one syllable in 2 sentences: Flesch (1948),
        # 206.835 - 1.015 * 6 - 84.6 * 1 = 116.1.
        ("en", "The cat sat on the mat. The dog ran to the park.", 116),
        # 11 words of one syllable in 2 sentences: Kandel and Moles (1958),
        # 207 - 1.015 * 5.5 - 73.6 * 1 = 127.8.
        ("fr", "Le chat dort sur le lit. Le chien court au parc.", 128),
    ],
)
def test_readability_is_each_languages_own_formula(language, text, expected):
    measured = readability.measure(text, language)
    assert measured.score == expected
    assert measured.words_per_sentence == {"en": 6.0, "fr": 5.5}[language]
    assert measured.long_sentences == 0 and measured.jargon == []


def test_the_editor_sees_readability_and_jargon_per_language(trial, people, client):
    placebo_term()
    institution = Institution.for_site(trial.get_site())
    institution.lay_reading_target = 60
    institution.save()
    summary = build_summary(
        trial,
        live=False,
        results_en=(
            "The double-blind trial did not meet its primary endpoint, although "
            "the biomarker fell in patients who received the placebo during the "
            "pre-planned analysis of the whole cohort of patients."
        ),
    )
    client.force_login(people["editor"])
    page = BeautifulSoup(
        client.get(reverse("wagtailadmin_pages:edit", args=(summary.pk,))).text,
        "html.parser",
    )
    french = page.select_one('[data-readability-language="fr"]')
    english = page.select_one('[data-readability-language="en"]')
    assert int(french.select_one("[data-score]").get_text()) >= 60
    assert french.select_one("[data-below-target]") is None
    assert int(english.select_one("[data-score]").get_text()) < 60
    assert english.select_one("[data-below-target]") is not None
    jargon = [li.get_text() for li in english.select("[data-jargon] li")]
    assert any(item.startswith("placebo") and "glossaire" in item for item in jargon)
    unexplained = [
        li.get_text().split(" — ")[0]
        for li in english.select("[data-jargon] li")
        if li.select_one("[data-unexplained]")
    ]
    assert unexplained == [
        "double-blind",
        "endpoint",
        "biomarker",
        "pre-planned",
        "cohort",
    ]


def test_in_the_press_kit_and_the_trials_json_ld(trial, home, client):
    summary = build_summary(trial)
    release = build_release(home, trial)
    response = client.get(f"/fr/dossier-de-presse/{release.pk}.zip")
    kit = zipfile.ZipFile(io.BytesIO(response.content))
    for name, results in (
        ("pour-les-patients/pour-les-patients-fr.pdf", RESULTS_FR),
        ("pour-les-patients/for-patients-en.pdf", RESULTS_EN),
    ):
        pdf = PdfReader(io.BytesIO(kit.read(name)))
        text = " ".join(page.extract_text() for page in pdf.pages)
        assert " ".join(results.split()[:4]) in " ".join(text.split())
    html = BeautifulSoup(client.get(url_in(trial, "en")).text, "html.parser")
    data = json.loads(html.select_one('script[type="application/ld+json"]').string)
    (page,) = [item for item in data["subjectOf"] if item["@type"] == "MedicalWebPage"]
    assert page["url"] == f"http://testserver{url_in(summary, 'en')}"
    assert page["abstract"] == RESULTS_EN
    assert page["audience"]["audienceType"] == "Patient"


def test_readability_is_measured_again_as_the_editor_types(trial, people, client):
    """What the edit page's script posts: the sections being written, measured
    and never saved; only for people of the admin."""
    url = reverse("newsroom_lay_summary_readability")
    text = {"results_en": "The cat sat on the mat. The dog ran to the park."}
    anonymous = client.post(url, text)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    client.force_login(people["editor"])
    assert client.get(url).status_code == 405
    panel = BeautifulSoup(client.post(url, text).text, "html.parser")
    english = panel.select_one('[data-readability-language="en"]')
    assert english.select_one("[data-score]").get_text() == "116"
    assert panel.select_one('[data-readability-language="fr"]') is None
    assert not LaySummary.objects.exists()
    edit_form = client.get(add_url(trial)).text
    assert "js/readability.js" in edit_form
    assert 'data-lay-section=""' in edit_form or "data-lay-section" in edit_form


def test_a_word_inside_an_explained_term_is_that_term(db):
    term = GlossaryTerm.objects.create(
        term_fr="double aveugle",
        term_en="double-blind",
        definition_fr="Ni les malades ni les médecins ne savent.",
        definition_en="Neither patients nor doctors know.",
    )
    assert readability.jargon_in(
        "Un essai en double aveugle contre placebo.", "fr", [term]
    ) == [("double aveugle", True), ("placebo", False)]
    assert readability.jargon_in("Un essai aveugle.", "fr", [term]) == [
        ("aveugle", False)
    ]


def test_a_correction_is_announced_again_in_the_trials_feed(trial, client):
    summary = build_summary(trial)
    url = feed_url("en", "trial", trial.registry_id)

    def guids():
        root = ET.fromstring(client.get(url).content)
        return {
            item.findtext("guid")
            for item in root.iter("item")
            if item.findtext("title").startswith("For patients and families")
        }

    first = guids()
    summary.limits_en = "A larger trial, already planned, will tell."
    summary.save_revision().publish()
    assert len(first) == 1 and guids() - first


def test_the_summary_and_the_trial_page_are_valid_html(trial, client, tmp_path):
    """The Nu HTML Checker, as for every page of the seed."""
    placebo_term()
    summary = build_summary(
        trial, treatments_fr="Un placebo.", treatments_en="A placebo."
    )
    files = []
    for language in ("fr", "en"):
        for page in (summary, trial):
            path = tmp_path / f"{page.pk}-{language}.html"
            path.write_text(client.get(url_in(page, language)).text)
            files.append(path.name)
        # The trial's feed opened in a browser, the summary's card in it.
        feed = client.get(
            feed_url(language, "trial", trial.registry_id),
            HTTP_SEC_FETCH_DEST="document",
        )
        (tmp_path / f"feed-{language}.html").write_text(feed.text)
        files.append(f"feed-{language}.html")
    result = subprocess.run(  # noqa: S603
        ["java", "-jar", str(CHECKER), "--format", "json", *files],  # noqa: S607
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    messages = [
        f"{m['url']}: {m['message']}"
        for m in json.loads(result.stderr)["messages"]
        if m["type"] != "info" or m.get("subType") == "warning"
    ]
    assert messages == []


def test_a_summary_moved_to_another_trial_is_that_trials(trial, home, people, client):
    summary = build_summary(trial)
    other = build_trial(home, registry_id="NCT07654321")
    summary.move(other, pos="last-child", user=people["publisher"])
    summary.refresh_from_db()
    assert summary.trial_id == other.pk
    assert other.public_lay_summary.pk == summary.pk
    assert Trial.objects.get(pk=trial.pk).public_lay_summary is None


def test_readers_find_it_with_the_sites_search(trial, client):
    summary = build_summary(trial)
    for path, word in (("/fr/recherche/", "allongé"), ("/en/search/", "tolerated")):
        page = BeautifulSoup(client.get(path, {"q": word}).text, "html.parser")
        card = page.select_one(".lay-summary-card")
        assert card.a["href"] == url_in(summary, path.split("/")[1])
        assert word in card.select_one(".search-excerpt mark").get_text()
