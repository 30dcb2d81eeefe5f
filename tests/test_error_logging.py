"""In production an error reaches the operators: a server error is one JSON
line on stderr with its traceback and the page's path, and Sentry, when
configured, gets no personal data."""

import json

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


def test_sentry_reports_without_personal_data_when_configured():
    # A DSN on the loopback address: nothing leaves this machine.
    result = run(
        "import json, newsroom.settings.production, sentry_sdk; "
        "client = sentry_sdk.get_client(); "
        "print(json.dumps([client.is_active(), client.options['send_default_pii'], "
        "sorted(client.integrations), client.options['environment'], "
        "client.options['max_request_body_size']]))",
        SENTRY_DSN="http://public@127.0.0.1:9/1",
        SENTRY_ENVIRONMENT="staging",
    )
    assert result.returncode == 0, result.stderr
    active, pii, integrations, environment, body = json.loads(result.stdout)
    assert active is True
    assert pii is False
    assert "django" in integrations
    assert environment == "staging"
    assert body == "never"  # what forms post (passwords) never leaves
