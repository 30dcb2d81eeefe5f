"""Setting up newsrooms: the command that adds one, and the demo that serves
each MIROCALS partner in its own newsroom with its seed statement."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.utils import translation

from wagtail.models import Site

import pytest
from bs4 import BeautifulSoup

from announcements import teams
from announcements.models import Institution, PartnerPosition, Trial


def test_the_partners_demo_serves_each_partner_in_its_own_newsroom(seeded, client):
    out = StringIO()
    call_command("demo_partner_newsrooms", port=80, stdout=out)
    hosts = sorted(Site.objects.exclude(is_default_site=True).values_list("hostname"))
    assert hosts == [
        ("afm-telethon.localhost",),
        ("filslan.localhost",),
        ("iltoo-pharma.localhost",),
    ]
    assert "http://filslan.localhost/" in out.getvalue()
    # Each partner's statement now belongs to its newsroom, history and all.
    for statement in PartnerPosition.objects.select_related("organisation"):
        site = statement.get_site()
        assert site.hostname == f"{statement.organisation.slug}.localhost"
        assert Institution.for_site(site).organisation == statement.organisation
        assert statement.revisions.count() >= 1
    # The sponsor's trial page shows every partner's statement, each at home.
    trial = Trial.objects.get(registry_id="NCT03039673")
    with translation.override("fr"):
        url = trial.get_url()
    page = BeautifulSoup(client.get(url).content, "html.parser")
    credits = sorted(
        card.select_one(".card-newsroom").get_text(strip=True)
        for card in page.select(".announcement-card")
        if card.select_one(".card-newsroom")
    )
    assert len(credits) == 3
    assert all(credit.startswith("Salle de presse de ") for credit in credits)
    # FILSLAN's newsroom shows the trial it speaks about, and its statement.
    home = BeautifulSoup(
        client.get("/fr/", HTTP_HOST="filslan.localhost").content, "html.parser"
    )
    assert "MIROCALS" in home.select_one(".trial-card").get_text()
    statements = home.select_one('section[aria-labelledby="statements-title"]')
    assert [
        card.select_one(".card-title").get_text(strip=True)
        for card in statements.select(".announcement-card")
    ] == ["Etude MIROCALS : positionnement FILSLAN"]
    # Again: nothing changes.
    call_command("demo_partner_newsrooms", port=80, stdout=StringIO())
    assert Site.objects.count() == 4


def test_adding_a_newsroom_says_what_it_made_and_refuses_bad_input(db, home):
    out = StringIO()
    call_command(
        "add_newsroom", "news.filslan.test", name="FILSLAN", port=8000, stdout=out
    )
    site = Site.objects.get(hostname="news.filslan.test")
    assert site.port == 8000
    assert "http://news.filslan.test:8000/" in out.getvalue()
    assert "Editors — FILSLAN" in out.getvalue()
    assert [g.name for g in teams.groups_for("Editors", site.root_page)] == [
        "Editors — FILSLAN"
    ]
    pages = Site.objects.count()
    with pytest.raises(CommandError, match="already answers"):
        call_command("add_newsroom", "news.filslan.test", name="X", port=8000)
    with pytest.raises(CommandError, match="No organisation"):
        call_command("add_newsroom", "other.test", name="X", organisation="nope")
    assert Site.objects.count() == pages
