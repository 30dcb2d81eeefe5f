"""The press area's doors tell nobody whether an address has an account:
not by their words, nor by the work they do (a password hash computed or
not, a mail sent or not, before the answer)."""

from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import RequestFactory

import pytest

from press import views
from press.models import Journalist
from tests.factories import JournalistFactory


@pytest.fixture
def hashes(monkeypatch):
    """The number of password hashes computed (the test settings' hasher)."""
    counted = []
    encode = MD5PasswordHasher.encode

    def counting(self, password, salt):
        counted.append(password)
        return encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    return counted


def password_sign_in(client, email, password="wrong"):  # noqa: S107
    return client.post(
        "/en/press/sign-in/",
        {"password-email": email, "password-password": password},
    )


def test_a_password_sign_in_computes_one_hash_whoever_the_address(db, client, hashes):
    """An approved account, one not approved, one never proved, one without
    a password, or no account at all: one hash each, the same answer."""
    addresses = [
        JournalistFactory().email,
        JournalistFactory(status=Journalist.Status.REFUSED).email,
        JournalistFactory(email_confirmed_at=None).email,
        JournalistFactory().email,
        "nobody@example.org",
    ]
    Journalist.objects.filter(email=addresses[3]).update(password="")
    for email in addresses:
        hashes.clear()
        response = password_sign_in(client, email)
        assert "do not match an approved account" in response.text
        assert len(hashes) == 1, email
    hashes.clear()
    assert password_sign_in(client, addresses[0], "pw").status_code == 302
    assert len(hashes) == 1


def test_registering_mails_the_address_once_whether_or_not_it_has_an_account(
    db, client, mailoutbox
):
    known = JournalistFactory(language="en")
    pages = []
    for email in (known.email, "newcomer@example.org"):
        mailoutbox.clear()
        response = client.post(
            "/en/press/register/",
            {"name": "A B", "outlet": "C", "email": email, "language": "en"},
        )
        pages.append(response.text.replace(email, ""))
        assert [message.to for message in mailoutbox] == [[email]]
    assert pages[0] == pages[1] and "Check your inbox" in pages[0]


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/en/press/sign-in/", {"link-email": "{email}"}),
        (
            "/en/press/register/",
            {"name": "A B", "outlet": "C", "email": "{email}", "language": "en"},
        ),
    ],
)
def test_mails_leave_after_the_answer(db, mailoutbox, path, data):
    """The answer is complete before any mail is sent (the server closes
    it, then the mail leaves): its time says nothing of the mail."""
    journalist = JournalistFactory(language="en")
    data = {key: value.format(email=journalist.email) for key, value in data.items()}
    request = RequestFactory().post(path, data)
    request._dont_enforce_csrf_checks = True
    view = views.sign_in_view if "sign-in" in path else views.register
    response = view(request)
    assert response.status_code == 200
    assert mailoutbox == []
    response.close()
    assert [message.to for message in mailoutbox] == [[journalist.email]]
