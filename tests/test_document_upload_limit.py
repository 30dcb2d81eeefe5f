"""An editor who uploads a document larger than the newsroom accepts (20 MB
unless WAGTAILDOCS_MAX_UPLOAD_SIZE says otherwise) is told so, in their
language, and nothing is stored; a smaller one goes through."""

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents.models import Document
from wagtail.models import Collection
from wagtail.users.models import UserProfile

import pytest

MB = 1024 * 1024


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    return client


def upload(client, size):
    return client.post(
        "/admin/documents/add/",
        {
            "title": "Protocole",
            "file": SimpleUploadedFile("protocole.txt", b"x" * size, "text/plain"),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_document_over_20_mb_is_refused_in_french(admin_client):
    response = upload(admin_client, 20 * MB + 1)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce fichier est trop gros" in page and "20,0" in page
    assert not Document.objects.exists()


def test_too_large_document_is_refused_in_english(
    admin_client, django_user_model, settings
):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1000
    profile = UserProfile.get_for_user(django_user_model.objects.get())
    profile.preferred_language = "en"
    profile.save()
    response = upload(admin_client, 1001)
    assert "This file is too big" in response.content.decode()
    assert not Document.objects.exists()


def test_document_within_the_limit_is_stored(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1000
    response = upload(admin_client, 1000)
    assert response.status_code == 302
    assert Document.objects.get().file_size == 1000
