"""Guessing an editor's password at the admin sign-in stops after a few
tries: that username from that address is locked, even with the right
password, with a page saying why; others can still sign in, and an
administrator can lift the lock."""

from io import StringIO

from django.core.management import call_command

import pytest

PASSWORD = "the-right-password"  # noqa: S105


@pytest.fixture(autouse=True)
def lockout_on(settings):
    # Off in the test settings because Client.login() has no request.
    settings.AXES_ENABLED = True


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        "editor", "editor@example.org", PASSWORD
    )


@pytest.fixture
def colleague(django_user_model):
    return django_user_model.objects.create_superuser(
        "colleague", "colleague@example.org", PASSWORD
    )


def sign_in(client, username, password, **headers):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, **headers
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def test_right_password_is_refused_after_repeated_failures(client, editor):
    for _ in range(40):
        assert sign_in(client, "editor", "wrong").status_code in (200, 429)
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert "Connexion bloquée" in page
    assert "après 5 mots de passe erronés" in page
    assert "Réessayez dans 30 minutes" in page


def test_lockout_page_speaks_english(client, editor):
    for _ in range(5):
        sign_in(client, "editor", "wrong")
    response = sign_in(client, "editor", PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()


def test_fewer_failures_than_the_limit_do_not_lock(client, editor):
    for _ in range(4):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert signed_in(client)


def test_other_user_from_the_same_address_is_not_locked(client, editor, colleague):
    for _ in range(10):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    assert sign_in(client, "colleague", PASSWORD).status_code == 302
    assert signed_in(client)


def test_axes_reset_lifts_the_lock(client, editor):
    for _ in range(10):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    call_command("axes_reset", stdout=StringIO())
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert signed_in(client)


def test_behind_the_proxy_each_reader_is_told_apart(client, editor, settings):
    """Everyone reaches gunicorn from the proxy's address; locking one
    client must not lock the newsroom's whole office, and a client cannot
    escape its lock by sending its own X-Forwarded-For."""
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        sign_in(client, "editor", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    # nginx appends the real address after whatever the client sent.
    forged = "198.51.100.9, 203.0.113.5"
    response = sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR=forged, **proxy)
    assert response.status_code == 429

    response = sign_in(
        client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.44", **proxy
    )
    assert response.status_code == 302
