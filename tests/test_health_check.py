"""/healthz tells the load balancer whether this instance can serve pages:
200 when the database and the cache answer, 503 naming the part that does
not; never cached, open to anyone, and revealing nothing else."""

from unittest import mock

from django.db import connection

import pytest

EXPECTED_KEYS = {"status", "database", "cache"}


def test_healthy_instance_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_health_needs_no_language_prefix_and_no_sign_in(client, db):
    response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_broken_cache_answers_503_naming_it(client, db):
    with mock.patch("newsroom.health.cache.set", side_effect=ConnectionError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error"}
    assert "no-store" in response["Cache-Control"]
    assert b"down" not in response.content


def test_broken_database_answers_503_naming_it(client, db):
    def refuse(execute, sql, params, many, context):
        raise RuntimeError("connection refused")

    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "cache": "ok"}
    assert set(response.json()) == EXPECTED_KEYS
    assert b"refused" not in response.content


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_health_only_reads(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405


def test_health_is_reachable_over_plain_http_behind_the_proxy(client, db, settings):
    """The load balancer probes over plain HTTP; readers are sent to HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/robots.txt").status_code == 301
