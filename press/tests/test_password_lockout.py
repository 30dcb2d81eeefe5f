"""Guessing a journalist's password stops after the admin's limit of wrong
passwords, even with the cache down, and even when the guesses arrive all at
once: the count is in the database, taken before each check."""

import datetime

from django.contrib.auth.hashers import MD5PasswordHasher

import time_machine

from tests.factories import JournalistFactory
from tests.support import press_sign_in

LIMIT = 5  # AXES_FAILURE_LIMIT's default


def attempt(client, email, password):
    return client.post(
        "/en/press/sign-in/",
        {"password-email": email, "password-password": password},
    )


def test_the_limit_holds_with_the_cache_down(db, client, cache_down):
    journalist = JournalistFactory()
    for _ in range(LIMIT):
        assert "do not match" in attempt(client, journalist.email, "wrong").text
    response = attempt(client, journalist.email.upper(), "pw")
    assert "Too many wrong passwords" in response.text
    assert "press_journalist" not in client.session
    with time_machine.travel(datetime.timedelta(minutes=31)):
        press_sign_in(client, journalist)


def test_guesses_arriving_together_check_no_more_passwords_than_the_limit(
    db, client, monkeypatch
):
    """Sixteen guesses at once: while the first one's password is being
    checked the fifteen others arrive. Only the limit's worth is checked."""
    journalist = JournalistFactory()
    checked = []
    encode = MD5PasswordHasher.encode

    def slow_check(self, password, salt):
        checked.append(password)
        if len(checked) == 1:  # the others arrive during the first check
            for n in range(15):
                attempt(client, journalist.email, f"guess-{n}")
        return encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", slow_check)
    attempt(client, journalist.email, "guess-first")
    assert len(checked) == LIMIT


def test_a_right_password_clears_the_count(db, client):
    journalist = JournalistFactory()
    for _ in range(LIMIT - 1):
        attempt(client, journalist.email, "wrong")
    press_sign_in(client, journalist)
    client.post("/fr/presse/deconnexion/")
    for _ in range(LIMIT - 1):
        attempt(client, journalist.email, "wrong")
    assert attempt(client, journalist.email, "pw").status_code == 302
