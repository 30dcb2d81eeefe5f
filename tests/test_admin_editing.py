"""Editors work in the real Wagtail admin, both languages side by side, and
everything goes through review: an editor submits, reviewers approve."""

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html, rich_text

import pytest

from announcements.models import (
    ContactIndexPage,
    PartnerPosition,
    PositionIndexPage,
    PressContact,
    PressRelease,
    ReleaseIndexPage,
    Trial,
    TrialIndexPage,
)
from tests.factories import (
    OrganisationFactory,
    build_contact,
    build_position,
    build_release,
)

PAGE_TYPES = [
    (PressRelease, ReleaseIndexPage),
    (PartnerPosition, PositionIndexPage),
    (Trial, TrialIndexPage),
    (PressContact, ContactIndexPage),
]


def add_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add",
        args=(model._meta.app_label, model._meta.model_name, parent.pk),
    )


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


@pytest.fixture
def editor(make_user):
    return make_user("edith", "Editors")


@pytest.mark.parametrize("model, index_model", PAGE_TYPES)
def test_editor_sees_both_languages_when_adding_and_editing(
    home, trial, editor, client, model, index_model
):
    client.force_login(editor)
    parent = index_model.objects.child_of(home).get()
    response = client.get(add_url(model, parent))
    assert response.status_code == 200
    for name in ("title_fr", "title_en", "slug_fr", "slug_en"):
        assert f'name="{name}"' in response.text, name

    page = {
        PressRelease: lambda: build_release(home, trial),
        PartnerPosition: lambda: build_position(home, trial),
        Trial: lambda: trial,
        PressContact: lambda: build_contact(home),
    }[model]()
    response = client.get(edit_url(page))
    assert response.status_code == 200
    assert 'name="title_fr"' in response.text and 'name="title_en"' in response.text
    if model in (PressRelease, PartnerPosition):
        assert 'name="body_fr"' in response.text and 'name="body_en"' in response.text


def _release_form(client, home, trial, organisation, **overrides):
    parent = ReleaseIndexPage.objects.child_of(home).get()
    url = add_url(PressRelease, parent)
    data = querydict_from_html(client.get(url).text, form_id="page-edit-form")
    data.update(
        {
            "title_fr": "Résultats de l'essai",
            "title_en": "Trial results",
            "slug_fr": "resultats-essai",
            "slug_en": "trial-results",
            "dateline_place_fr": "Nîmes",
            "dateline_place_en": "Nîmes",
            "dateline_date_fr": "2025-05-12",
            "dateline_date_en": "2025-05-09",
            "standfirst_fr": "Chapeau.",
            "standfirst_en": "Standfirst.",
            "body_fr": rich_text("<p>Texte français.</p>"),
            "body_en": rich_text("<p>English text.</p>"),
            "trial": str(trial.pk),
            "organisation": str(organisation.pk),
            "original_language": "fr",
        }
    )
    data.update(overrides)
    return url, data


def test_editor_saves_a_bilingual_release_but_cannot_publish(
    home, trial, editor, client
):
    organisation = OrganisationFactory()
    client.force_login(editor)
    url, data = _release_form(client, home, trial, organisation)
    assert "action-publish" not in client.get(url).text

    data["action-publish"] = "action-publish"
    response = client.post(url, data)
    assert response.status_code == 302

    release = PressRelease.objects.get(slug_fr="resultats-essai")
    assert not release.live, "an editor's publish must not publish"
    draft = release.get_latest_revision_as_object()
    assert (draft.title_fr, draft.title_en) == ("Résultats de l'essai", "Trial results")
    assert "Texte français." in draft.body_fr and "English text." in draft.body_en
    assert str(draft.dateline_date_fr) == "2025-05-12"
    assert str(draft.dateline_date_en) == "2025-05-09"


def test_release_goes_through_medical_then_communications_review(
    home, trial, editor, make_user, client
):
    medical = make_user("marie", "Medical reviewers")
    communications = make_user("claude", "Communications reviewers")
    organisation = OrganisationFactory()

    client.force_login(editor)
    url, data = _release_form(client, home, trial, organisation)
    data["action-submit"] = "action-submit"
    assert client.post(url, data).status_code == 302
    release = PressRelease.objects.get(slug_fr="resultats-essai")
    state = WorkflowState.objects.get(object_id=str(release.pk))
    assert state.workflow.name == gettext("Medical review → Communications review")
    assert state.current_task_state.task.name == gettext("Medical review")

    def approve(user):
        client.force_login(user)
        task_state = WorkflowState.objects.get(pk=state.pk).current_task_state
        action = reverse(
            "wagtailadmin_pages:workflow_action",
            args=(release.pk, "approve", task_state.pk),
        )
        return client.post(action, {"comment": "OK"})

    # The communications reviewer cannot approve the medical step.
    approve(communications)
    assert WorkflowState.objects.get(pk=state.pk).current_task_state.task.name == (
        gettext("Medical review")
    )

    assert approve(medical).status_code in (200, 302)
    state.refresh_from_db()
    assert state.current_task_state.task.name == gettext("Communications review")
    assert not Page.objects.get(pk=release.pk).live

    assert approve(communications).status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    release.refresh_from_db()
    assert release.live
    assert client.get("/fr/communiques/resultats-essai/").status_code == 200
    assert client.get("/en/press-releases/trial-results/").status_code == 200


@pytest.mark.parametrize(
    "model, field, value, message",
    [
        (Trial, "registry_id", "NCT123", "NCT suivi de 8 chiffres"),
        (Trial, "registry_id", "ISRCTN12345678", "NCT suivi de 8 chiffres"),
        (Trial, "doi", "not-a-doi", "Saisissez un DOI"),
        (PressContact, "email", "someone@", "Saisissez une adresse de courriel valide"),
        (PressContact, "phone", "call me maybe", "Saisissez un numéro de téléphone"),
        (
            PressContact,
            "phone_secondary",
            "+33 <script>",
            "Saisissez un numéro de téléphone",
        ),
    ],
)
def test_bad_identifiers_are_refused_in_the_admin(
    home, make_user, client, model, field, value, message
):
    """A bad identifier gets a clear form error (in the editor's French), and
    nothing is saved."""
    admin = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    organisation = OrganisationFactory()
    index_model = TrialIndexPage if model is Trial else ContactIndexPage
    parent = index_model.objects.child_of(home).get()
    url = add_url(model, parent)
    data = querydict_from_html(client.get(url).text, form_id="page-edit-form")
    data.update(
        {
            "title_fr": "Valeur",
            "slug_fr": "valeur",
            "organisation": str(organisation.pk),
        }
    )
    if model is Trial:
        data["registry_id"] = "NCT03039673"
    data[field] = value
    count = Page.objects.count()

    response = client.post(url, data)

    assert response.status_code == 200
    assert message in response.text
    assert Page.objects.count() == count


@pytest.mark.parametrize("field", ["slug_fr", "slug_en"])
def test_addresses_are_ascii_in_both_languages(home, trial, editor, client, field):
    """ "résultats" is refused with a clear message in the form, and no code
    path publishes it either."""
    release = build_release(home, trial)
    client.force_login(editor)
    data = querydict_from_html(
        client.get(edit_url(release)).text, form_id="page-edit-form"
    )
    data[field] = "résultats"
    response = client.post(edit_url(release), data)
    assert response.status_code == 200
    assert "lettres non accentuées" in response.text
    assert release.get_latest_revision().as_object().slug_fr != "résultats"

    setattr(release, field, "essai-clinique-é")
    with pytest.raises(ValidationError):
        release.save_revision().publish()
    assert Page.objects.get(pk=release.pk).specific.slug_en != "essai-clinique-é"


@pytest.mark.parametrize("field", ["slug_fr", "slug_en"])
def test_two_releases_never_share_an_address_in_either_language(
    home, trial, editor, client, field
):
    """An address another release of the section has, in either language
    (or that a blank English address would fall back to), is refused in the
    form with a clear message and by every save."""
    taken = build_release(home, trial, slug_fr="essai-fr", slug_en="trial-en")
    release = build_release(home, trial, slug_fr="autre", slug_en="other")
    client.force_login(editor)
    data = querydict_from_html(
        client.get(edit_url(release)).text, form_id="page-edit-form"
    )
    data[field] = taken.slug_fr if field == "slug_fr" else taken.slug_en
    response = client.post(edit_url(release), data)
    assert response.status_code == 200
    assert "a déjà cette adresse" in response.text
    assert getattr(release.get_latest_revision().as_object(), field) == getattr(
        release, field
    )

    # A new release: the add form asks before the page has a place.
    url = add_url(PressRelease, release.get_parent())
    new = querydict_from_html(client.get(url).text, form_id="page-edit-form")
    new.update({"title_fr": "Nouveau", "slug_fr": "nouveau", "slug_en": "new"})
    new[field] = data[field]
    count = Page.objects.count()
    response = client.post(url, new)
    assert "a déjà cette adresse" in response.text
    assert Page.objects.count() == count

    release.slug_en = ""
    release.slug_fr = "trial-en"  # readers of English would land on either
    with pytest.raises(ValidationError) as refused:
        release.full_clean()
    assert set(refused.value.message_dict) == {"slug_en"}


def test_checking_an_address_never_reads_the_whole_section(home, trial):
    """Saving a release asks the database whether its addresses are free; it
    does not load its thousands of siblings to compare them."""
    releases = [build_release(home, trial) for _ in range(3)]
    with CaptureQueriesContext(connection) as context:
        releases[0].full_clean()
    siblings = [q["sql"] for q in context.captured_queries if '"depth" =' in q["sql"]]
    assert siblings, "no address was checked"
    assert all('"slug_' in sql for sql in siblings), siblings
