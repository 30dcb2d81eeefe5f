"""Public pages forbid scripts and styles from anywhere but the newsroom
itself, so an injected <script> or a compromised third party cannot run in a
reader's browser; the Wagtail admin keeps working without that header."""

from django.utils import translation

import pytest
from bs4 import BeautifulSoup

from tests.factories import build_release, build_trial


def directives(response):
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def public_urls(home):
    trial = build_trial(home)
    release = build_release(home, trial)
    urls = []
    for language in ("fr", "en"):
        with translation.override(language):
            urls += [home.get_url(), trial.get_url(), release.get_url()]
    return urls


def test_public_pages_allow_only_their_own_origin(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_public_pages_need_no_inline_script_or_style(client, public_urls):
    """What the policy would block is not in the pages: the only inline
    <script> is JSON-LD, which is data and never executed."""
    for url in public_urls:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json"
        assert soup.find("style") is None, url
        assert soup.find(style=True) is None, url
        for tag in soup.find_all(True):
            assert not [attr for attr in tag.attrs if attr.startswith("on")], url
        for link in soup.find_all(["script", "link", "img"]):
            address = link.get("src") or link.get("href") or ""
            if link.name == "link" and link.get("rel") != ["stylesheet"]:
                continue
            assert not address.startswith(("http:", "https:", "//")), address


def test_admin_sign_in_still_works(client, home):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert b'name="password"' in response.content


def test_admin_editor_and_preview_are_not_restricted(client, home, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    response = client.get(f"/admin/pages/{home.pk}/edit/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    response = client.get(f"/admin/pages/{home.pk}/edit/preview/")
    assert "Content-Security-Policy" not in response


def test_the_admin_loads_nothing_from_another_host(client, home, people):
    """Not even an avatar: Wagtail would ask gravatar.com by default."""
    client.force_login(people["medical"])
    for url in ("/admin/", f"/admin/pages/{home.pk}/history/"):
        html = BeautifulSoup(client.get(url).content, "html.parser")
        sources = [
            tag.get("src") or tag.get("href")
            for tag in html.select(
                "img[src], script[src], link[rel=stylesheet], link[rel=icon]"
            )
        ]
        assert sources
        remote = [s for s in sources if s.startswith(("http:", "https:", "//"))]
        assert remote == [], url
