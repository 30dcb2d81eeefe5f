"""The seed loader on a site without seed content: a faulty or missing
fixture changes nothing and names the file and field; a dry run writes
nothing."""

import shutil
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from wagtail.models import Page

import pytest

from announcements.seed import MAX_FIXTURE_BYTES
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


def _refused(broken):
    """The command's error for the fixtures in ``broken``, which must change
    nothing, on an empty site and on a seeded one."""
    messages = []
    for state in ("empty", "loaded"):
        if state == "loaded":
            call_command("load_seed_content", stdout=StringIO())
        before = counts()
        with pytest.raises(CommandError) as error:
            call_command(
                "load_seed_content", "--fixtures", str(broken), stdout=StringIO()
            )
        assert counts() == before
        messages.append(str(error.value))
    return messages


RELEASE = "releases/mirocals-lancet-results.yaml"


@pytest.mark.parametrize(
    "relative, old, new, field, piece",
    [
        (
            RELEASE,
            "<p>Plus d’informations sur ",
            "<p><script>alert(document.cookie)</script>Plus d’informations sur ",
            "fr.body",
            "<script>",
        ),
        (
            RELEASE,
            "<p>More information at ",
            '<iframe src="https://example.org/"></iframe><p>More information at ',
            "en.body",
            "<iframe>",
        ),
        (
            RELEASE,
            "<p>More information at ",
            '<p onclick="steal()">More information at ',
            "en.body",
            '<p onclick="steal()">',
        ),
        (
            RELEASE,
            'href="https://www.chu-nimes.fr">www',
            'href="javascript:alert(1)">www',
            "fr.body",
            '<a href="javascript:alert(1)">',
        ),
        (
            "positions/afm-telethon-mirocals.yaml",
            '<p lang="fr">',
            '<p lang="fr" style="position:fixed">',
            "en.body",
            '<p style="position:fixed">',
        ),
        (
            "trials.yaml",
            "registry_id: NCT03039673",
            "registry_id: NCT03039673\n"
            '    summary: {en: "<p>Results</p><script>alert(1)</script>"}',
            "trials[0].summary.en",
            "<script>",
        ),
    ],
)
def test_markup_the_editor_would_drop_is_refused(
    home, tmp_path, relative, old, new, field, piece
):
    """A fixture publishes only what an editor could have written in the
    admin: a script, a frame, an event handler or a javascript: link is
    refused with its file and field, not published."""
    broken = _broken_copy(tmp_path, relative, old, new)
    for message in _refused(broken):
        assert Path(relative).name in message
        assert f"“{field}”" in message
        assert f"contains markup the editor does not allow: {piece}" in message


def test_the_seed_fixtures_use_only_markup_the_editor_keeps(home):
    """The reviewed fixtures load as they are, their French paragraph in an
    English statement still marked lang="fr"."""
    call_command("load_seed_content", stdout=StringIO())
    assert counts()["records"] > 0


def test_a_fixture_that_is_not_utf8_is_named_with_its_line(home, tmp_path):
    broken = _broken_copy(tmp_path, "contacts.yaml", "contacts:", "contacts:")
    path = broken / "contacts.yaml"
    data = path.read_bytes()
    position = data.index(b"\n", data.index(b"contacts:")) + 1
    path.write_bytes(data[:position] + b"\xff\xfe" + data[position:])
    line = data[:position].count(b"\n") + 1
    for message in _refused(broken):
        assert "contacts.yaml" in message
        assert f"not valid UTF-8: byte {position} (line {line})" in message


def test_a_fixture_over_the_size_limit_is_refused_unread(home, tmp_path):
    broken = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, broken)
    (broken / "organisations.yaml").write_text(
        "#" * (MAX_FIXTURE_BYTES + 1), encoding="utf-8"
    )
    for message in _refused(broken):
        assert "organisations.yaml" in message
        assert f"over the limit of {MAX_FIXTURE_BYTES} bytes" in message


# Nine levels of nine aliases: 9**9 (387 million) strings once expanded.
ALIAS_BOMB = "\n".join(
    [
        'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]"
            for level in range(1, 10)
        ),
    ]
)


@pytest.mark.parametrize(
    "yaml_text, where",
    [
        (ALIAS_BOMB, "line 1"),
        ("base: &base {kind: hospital}\norganisations: [*base]\n", "line 1"),
        ("organisations:\n  - *nowhere\n", "line 2"),
    ],
    ids=["alias-bomb", "anchor", "alias"],
)
def test_yaml_anchors_and_aliases_are_refused_before_expansion(
    home, tmp_path, yaml_text, where
):
    """Fixtures need no aliases; an alias bomb must be refused at once, not
    expanded into gigabytes."""
    broken = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, broken)
    (broken / "organisations.yaml").write_text(yaml_text, encoding="utf-8")
    for message in _refused(broken):
        assert "organisations.yaml" in message
        assert "anchors and aliases (&name, *name) are not allowed" in message
        assert where in message


def test_yaml_nested_too_deeply_is_refused(home, tmp_path):
    broken = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, broken)
    (broken / "organisations.yaml").write_text(
        "organisations: " + "[" * 5000 + "]" * 5000, encoding="utf-8"
    )
    for message in _refused(broken):
        assert "organisations.yaml" in message
        assert "nested too deeply" in message
