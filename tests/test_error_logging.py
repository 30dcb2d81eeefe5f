"""In production an error reaches the operators: a server error is one JSON
line on stderr with its traceback and the page's path, and Sentry, when
configured, gets no personal data and no password."""

import json

from django.test import Client

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from newsroom.error_reports import start_sentry
from tests.factories import JournalistFactory
from tests.support import press_sign_in
from tests.test_production_settings import run

# Serves one failing page through the production settings and middleware.
FAILING_PAGE = """
import sys, types
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings
from django.urls import path

def broken(request):
    raise RuntimeError("the trial box could not be built")

urls = types.ModuleType("broken_urls")
urls.urlpatterns = [path("fr/essais/broken/", broken)]
sys.modules["broken_urls"] = urls
with override_settings(ROOT_URLCONF="broken_urls"):
    response = Client(raise_request_exception=False).get(
        "/fr/essais/broken/", secure=True, HTTP_HOST="news.example.org"
    )
print(response.status_code)
"""


def test_server_error_is_one_json_line_with_its_traceback():
    result = run(FAILING_PAGE, REDIS_URL=None)  # no Redis here: no cache warning
    assert result.stdout.strip() == "500", result.stderr
    # (WhiteNoise also warns, in plain text, that collectstatic has not run.)
    lines = [line for line in result.stderr.splitlines() if line.startswith("{")]
    assert len(lines) == 1, result.stderr
    record = json.loads(lines[0])
    assert record["level"] == "ERROR"
    assert record["logger"] == "django.request"
    assert record["path"] == "/fr/essais/broken/"
    assert record["status_code"] == 500
    assert record["timestamp"]
    assert "Traceback" in record["exc_info"]
    assert "RuntimeError: the trial box could not be built" in record["exc_info"]


def test_sentry_is_off_without_a_dsn():
    result = run(
        "import newsroom.settings.production, sys; "
        "print('sentry_sdk.integrations.django' in sys.modules)",
        SENTRY_DSN=None,
    )
    assert result.stdout.strip() == "False", result.stderr


def test_production_starts_sentry_without_personal_data_when_configured():
    # A DSN on the loopback address: nothing leaves this machine.
    result = run(
        "import json, newsroom.settings.production, sentry_sdk; "
        "client = sentry_sdk.get_client(); "
        "print(json.dumps([client.is_active(), client.options['send_default_pii'], "
        "sorted(client.integrations), client.options['environment'], "
        "client.options['max_request_body_size'], "
        "client.options['include_local_variables']]))",
        SENTRY_DSN="http://public@127.0.0.1:9/1",
        SENTRY_ENVIRONMENT="staging",
    )
    assert result.returncode == 0, result.stderr
    active, pii, integrations, environment, body, local_variables = json.loads(
        result.stdout
    )
    assert active is True
    assert pii is False
    assert "django" in integrations
    assert environment == "staging"
    assert body == "never"  # what forms post (passwords) never leaves
    assert local_variables is False  # nor what a traceback's frames hold


class Collected(Transport):
    """Sentry's events kept here, as they would be sent."""

    def __init__(self):
        super().__init__()
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def sent(self):
        return b"".join(envelope.serialize() for envelope in self.envelopes)


@pytest.fixture
def sentry_events():
    """Sentry started as production starts it, its events collected instead
    of sent; afterwards, Sentry as it was (off in the tests)."""
    before = sentry_sdk.get_global_scope().client
    collected = Collected()
    start_sentry("http://public@127.0.0.1:9/1", "test", transport=collected)
    yield collected
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(before)
    assert not sentry_sdk.get_client().is_active()


def fail(*args, **kwargs):
    raise RuntimeError("the password check failed")


def test_a_failing_press_sign_in_sends_sentry_no_password(
    db, sentry_events, monkeypatch
):
    """A journalist's password is being checked when the server fails: the
    report says where, and holds the password nowhere."""
    journalist = JournalistFactory()
    monkeypatch.setattr("press.models.check_password", fail)
    password = "Horse-Battery-Staple-4917"
    response = Client(raise_request_exception=False).post(
        "/fr/presse/connexion/",
        {"password-email": journalist.email, "password-password": password},
    )

    assert response.status_code == 500
    sent = sentry_events.sent()
    assert b"the password check failed" in sent
    assert b'"function":"check_password"' in sent  # the traceback's frames
    assert password.encode() not in sent


def test_a_failing_new_password_sends_sentry_neither_copy(
    db, sentry_events, monkeypatch
):
    """A journalist sets a password, typed twice, when the server fails."""
    client = press_sign_in(Client(raise_request_exception=False), JournalistFactory())
    monkeypatch.setattr("press.views.validate_password", fail)
    password = "Correct-Zebra-Lantern-7302"
    response = client.post(
        "/fr/presse/mot-de-passe/", {"password": password, "again": password}
    )

    assert response.status_code == 500
    sent = sentry_events.sent()
    assert b"the password check failed" in sent
    assert b'"function":"clean"' in sent  # the form's, holding both copies
    assert password.encode() not in sent
