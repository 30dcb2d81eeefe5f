"""The seed loader on a site without seed content: a faulty or missing
fixture changes nothing and names the file and field; a dry run writes
nothing."""

import shutil
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from wagtail.models import Page

import pytest

from tests.test_seed_content import FIXTURES, counts


def _broken_copy(tmp_path, relative, old, new):
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)
    path = target / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    "relative, old, new, expected",
    [
        ("trials.yaml", "NCT03039673", "NCT123", "registry_id"),
        (
            "positions/iltoo-pharma-mirocals.yaml",
            "contacts: [jose-achache]",
            "contacts: [nobody]",
            "contacts",
        ),
        (
            "positions/filslan-mirocals.yaml",
            "trial: mirocals",
            "trial: nonexistent",
            "trial",
        ),
        ("contacts.yaml", "michael.videment@chu-nimes.fr", "not-an-email", "email"),
        (
            "releases/mirocals-lancet-results.yaml",
            "dateline_date: 2025-05-12",
            "dateline_date: le douze mai",
            "dateline_date",
        ),
        ("organisations.yaml", "organisations:", "organisations: [\n", "(file)"),
    ],
)
def test_a_broken_fixture_changes_nothing_and_names_file_and_field(
    home, tmp_path, relative, old, new, expected
):
    broken = _broken_copy(tmp_path, relative, old, new)
    for state in ("empty", "loaded"):
        if state == "loaded":
            call_command("load_seed_content", stdout=StringIO())
        before = counts()
        with pytest.raises(CommandError) as error:
            call_command(
                "load_seed_content", "--fixtures", str(broken), stdout=StringIO()
            )
        assert Path(relative).name in str(error.value)
        assert expected in str(error.value)
        assert counts() == before


def test_a_missing_fixture_file_is_named(home, tmp_path):
    broken = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, broken)
    (broken / "contacts.yaml").unlink()
    with pytest.raises(CommandError, match="contacts.yaml"):
        call_command("load_seed_content", "--fixtures", str(broken), stdout=StringIO())
    assert Page.objects.filter(depth__gt=3).count() == 0


def test_dry_run_writes_nothing(home):
    before = counts()
    out = StringIO()
    call_command("load_seed_content", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue()
    assert counts()["records"] == before["records"] == 0
