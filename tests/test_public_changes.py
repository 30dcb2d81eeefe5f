"""What shows on live pages does not change unreviewed: a document a live
release carries, and an organisation's public identity, are changed by
publishers only, and every change is in Wagtail's history."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry

import pytest

from announcements.models import Organisation
from tests.factories import OrganisationFactory, build_release

Document = get_document_model()


@pytest.fixture
def people(make_user):
    return {
        "editor": make_user("edith", "Editors"),
        "communications": make_user("claude", "Communications reviewers"),
        "publisher": make_user("paul", "Publishers"),
    }


def document(owner, title):
    return Document.objects.create(
        title=title,
        uploaded_by_user=owner,
        file=ContentFile(b"%PDF-1.4 original", name=f"{title}.pdf"),
    )


def attach(release, doc, publish=True):
    release.attachments.create(document=doc)
    revision = release.save_revision()
    if publish:
        revision.publish()
    else:
        release.save()


def replace(client, user, doc, title):
    client.force_login(user)
    url = reverse("wagtaildocs:edit", args=(doc.pk,))
    client.post(
        url,
        {
            "title": title,
            "collection": str(doc.collection_id),
            "file": SimpleUploadedFile("new.pdf", b"%PDF-1.4 replaced"),
            "tags": "",
        },
    )
    return Document.objects.get(pk=doc.pk)


def test_a_document_on_a_live_release_is_changed_by_publishers_only(
    home, trial, people, client
):
    public = document(people["editor"], "dossier")
    attach(build_release(home, trial), public)
    draft_only = document(people["editor"], "brouillon")
    attach(build_release(home, trial, live=False), draft_only, publish=False)

    for user in (people["editor"], people["communications"]):
        after = replace(client, user, public, "Changed")
        assert after.title == "dossier" and after.file.read() == b"%PDF-1.4 original"
        client.post(reverse("wagtaildocs:delete", args=(public.pk,)))
        assert Document.objects.filter(pk=public.pk).exists()

    # A document only a draft carries is the editor's to change.
    assert replace(client, people["editor"], draft_only, "Brouillon v2").title == (
        "Brouillon v2"
    )

    after = replace(client, people["publisher"], public, "Dossier v2")
    assert after.title == "Dossier v2" and after.file.read() == b"%PDF-1.4 replaced"
    assert ModelLogEntry.objects.filter(
        object_id=str(public.pk), action="wagtail.edit", user=people["publisher"]
    ).exists()


def test_an_organisations_public_identity_is_changed_by_publishers_only(
    home, people, client
):
    organisation = OrganisationFactory(name_fr="CHU", name="CHU", slug="chu")
    edit = reverse(
        "wagtailsnippets_announcements_organisation:edit", args=(organisation.pk,)
    )
    form = {
        "name_fr": "Renamed",
        "name_en": "Renamed",
        "slug": "chu",
        "kind": "hospital",
        "website": "https://evil.example.org",
    }
    for user in (people["editor"], people["communications"]):
        client.force_login(user)
        client.post(edit, form)
        organisation.refresh_from_db()
        assert organisation.name_fr == "CHU" and organisation.website == ""

    client.force_login(people["publisher"])
    client.post(edit, form)
    organisation.refresh_from_db()
    assert organisation.name_fr == "Renamed"
    assert ModelLogEntry.objects.filter(
        object_id=str(organisation.pk), action="wagtail.edit", user=people["publisher"]
    ).exists()

    # Editors still add the organisations their releases need.
    client.force_login(people["editor"])
    add = reverse("wagtailsnippets_announcements_organisation:add")
    client.post(add, {**form, "name_fr": "Nouvelle", "slug": "nouvelle"})
    assert Organisation.objects.filter(slug="nouvelle").exists()
