"""What shows on live pages does not change unreviewed: a file (document or
image) that a live page, an approved embargo, a revision under review, an
organisation or the institution carries, and an organisation's public
identity, are changed by publishers only, by every door (edit, replace,
delete, bulk delete), and every change is in Wagtail's history."""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, PageLogEntry, Site

import pytest
from PIL import Image as PILImage

from announcements import teams
from announcements.documents import FILE_REPLACED
from announcements.models import Institution, Organisation
from tests.factories import OrganisationFactory, build_release

Document = get_document_model()
Image = get_image_model()


@pytest.fixture
def people(make_user):
    return {
        "editor": make_user("edith", "Editors"),
        "communications": make_user("claude", "Communications reviewers"),
        "publisher": make_user("paul", "Publishers"),
    }


def newsroom_collection():
    """Where the newsroom's files are kept: its groups act there only."""
    return teams.collection_of(Site.objects.get(is_default_site=True))


def document(owner, title):
    return Document.objects.create(
        title=title,
        collection=newsroom_collection(),
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


def test_every_role_reaches_the_files_its_work_needs(people, make_user, client):
    """Writers upload documents and images through Wagtail's own views; a
    medical reviewer, who only reads, may choose a file but not add one."""
    people["medical"] = make_user("marie", "Medical reviewers")
    for role in ("editor", "communications", "publisher"):
        client.force_login(people[role])
        client.post(
            reverse("wagtaildocs:add"),
            {
                "title": f"doc-{role}",
                "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 new"),
                "tags": "",
            },
        )
        client.post(
            reverse("wagtailimages:add"),
            {"title": f"img-{role}", "file": png("green", "a.png"), "tags": ""},
        )
        assert Document.objects.filter(title=f"doc-{role}").exists(), role
        assert Image.objects.filter(title=f"img-{role}").exists(), role
        assert client.get(reverse("wagtaildocs_chooser:choose")).status_code == 200

    client.force_login(people["medical"])
    assert client.get(reverse("wagtaildocs_chooser:choose")).status_code == 200
    assert client.get(reverse("wagtailimages_chooser:choose")).status_code == 200
    assert client.get(reverse("wagtaildocs:add")).status_code != 200


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


def image(owner, title, colour="red"):
    return Image.objects.create(
        title=title,
        collection=newsroom_collection(),
        uploaded_by_user=owner,
        file=png(colour, f"{title}.png"),
    )


def png(colour, name):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def replace_image(client, user, picture, title=None):
    client.force_login(user)
    client.post(
        reverse("wagtailimages:edit", args=(picture.pk,)),
        {
            "title": title or picture.title,
            "collection": str(picture.collection_id),
            "file": png("blue", "replaced.png"),
            "tags": "",
        },
    )
    return Image.objects.get(pk=picture.pk)


def bulk_delete(client, user, model, obj):
    client.force_login(user)
    url = reverse(
        "wagtail_bulk_action",
        args=(model._meta.app_label, model._meta.model_name, "delete"),
    )
    client.post(f"{url}?id={obj.pk}", {})
    return model.objects.filter(pk=obj.pk).exists()


def test_a_document_approved_for_an_embargo_is_replaced_by_publishers_only(
    home, trial, people, client
):
    """The file a secret link serves, and readers get at the lift, is the one
    the reviewers approved."""
    doc = document(people["editor"], "embargoed")
    release = build_release(home, trial, live=False)
    attach(release, doc, publish=False)
    release.go_live_at = timezone.now() + datetime.timedelta(days=2)
    release.save_revision().publish()
    assert release.scheduled_revision is not None and not release.live

    for user in (people["editor"], people["communications"]):
        after = replace(client, user, doc, "embargoed")
        assert after.file.read() == b"%PDF-1.4 original"
        assert bulk_delete(client, user, Document, doc)

    after = replace(client, people["publisher"], doc, "embargoed")
    assert after.file.read() == b"%PDF-1.4 replaced"
    entry = PageLogEntry.objects.get(page=release, action=FILE_REPLACED)
    assert entry.user == people["publisher"]


def test_a_live_pages_image_and_a_logo_are_replaced_by_publishers_only(
    home, trial, people, client
):
    lead = image(people["editor"], "lead")
    release = build_release(
        home,
        trial,
        lead_image=lead,
        lead_image_alt_fr="Un essai",
        lead_image_alt_en="A trial",
    )
    logo = image(people["editor"], "logo")
    OrganisationFactory(name_fr="AFM", name="AFM", slug="afm", logo=logo)
    loose = image(people["editor"], "loose")
    originals = {picture.pk: picture.file.read() for picture in (lead, logo)}

    for user in (people["editor"], people["communications"]):
        for picture in (lead, logo):
            after = replace_image(client, user, picture)
            assert after.file.read() == originals[picture.pk]
            assert bulk_delete(client, user, Image, picture)
    # An image nothing reviewed carries is the editor's to change.
    assert replace_image(client, people["editor"], loose).file.read() != b""
    assert not bulk_delete(client, people["editor"], Image, loose)

    after = replace_image(client, people["publisher"], lead)
    assert after.file.read() != originals[lead.pk]
    assert PageLogEntry.objects.filter(
        page=release, action=FILE_REPLACED, user=people["publisher"]
    ).exists()


def test_a_document_under_review_is_replaced_by_publishers_only(
    home, trial, people, client
):
    """The reviewers approve the file they saw: once a draft carrying it is
    submitted for review, only a publisher changes it."""
    doc = document(people["editor"], "submitted")
    release = build_release(home, trial, live=False)
    attach(release, doc, publish=False)
    release.get_workflow().start(release, people["editor"])

    for user in (people["editor"], people["communications"]):
        after = replace(client, user, doc, "Changed")
        assert after.title == "submitted" and after.file.read() == b"%PDF-1.4 original"
        client.post(reverse("wagtaildocs:delete", args=(doc.pk,)))
        assert bulk_delete(client, user, Document, doc)

    after = replace(client, people["publisher"], doc, "submitted")
    assert after.file.read() == b"%PDF-1.4 replaced"
    entry = PageLogEntry.objects.get(page=release, action=FILE_REPLACED)
    assert entry.user == people["publisher"]


def test_the_institutions_logo_is_replaced_by_publishers_only(home, people, client):
    """Every page's header shows it: editors and communications reviewers
    cannot rename, replace or delete it, by any door; a publisher can."""
    logo = image(people["editor"], "institution")
    institution = Institution.for_site(home.get_site())
    institution.logo = logo
    institution.logo_alt_fr = "Logo du CHU"
    institution.logo_alt_en = "CHU's logo"
    institution.save()
    original = logo.file.read()

    for user in (people["editor"], people["communications"]):
        after = replace_image(client, user, logo, title="Not ours")
        assert after.title == "institution" and after.file.read() == original
        client.post(reverse("wagtailimages:delete", args=(logo.pk,)))
        assert Image.objects.filter(pk=logo.pk).exists()
        assert bulk_delete(client, user, Image, logo)

    after = replace_image(client, people["publisher"], logo, title="Institution v2")
    assert after.title == "Institution v2" and after.file.read() != original
    assert ModelLogEntry.objects.filter(
        object_id=str(logo.pk), action="wagtail.edit", user=people["publisher"]
    ).exists()
    institution.refresh_from_db()
    assert institution.logo == logo
