"""Importing a trial's registered facts from ClinicalTrials.gov: the command
and the trial edit page's button, against a local stand-in of the API."""

import datetime
import json
import re
import time
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

import pytest
import time_machine

from announcements.models import RegistrySnapshot, Trial
from announcements.registry import MAX_ANSWER_BYTES, RegistryError, read_registry
from tests.ctgov import RECORDED, ctgov  # noqa: F401 (fixture)


def import_command(registry_id="NCT03039673"):
    """The command, run by an English-speaking editor."""
    out = StringIO()
    with translation.override("en"):
        call_command("import_registry", registry_id, stdout=out)
    return out.getvalue()


def test_import_keeps_the_registered_facts(trial, ctgov):  # noqa: F811
    """The command reads {CTGOV_API_URL}/studies/{NCT} and keeps every fact
    the comparison and the JSON-LD need, with its source and date."""
    output = import_command()
    assert ctgov.requests == ["/api/v2/studies/NCT03039673"]
    assert "NCT03039673 imported" in output
    snapshot = trial.registry_snapshots.get()
    assert snapshot.source_url == f"{ctgov.base_url}/studies/NCT03039673"
    assert snapshot.raw["protocolSection"]["identificationModule"]["nctId"] == (
        "NCT03039673"
    )
    facts = snapshot.facts
    assert snapshot.phase == "2"
    assert (snapshot.enrolment, snapshot.enrolment_type) == (304, "ACTUAL")
    assert facts["status"] == "COMPLETED"
    assert (facts["start_date"], facts["completion_date"]) == (
        "2017-06-19",
        "2021-07-22",
    )
    assert facts["allocation"] == "RANDOMIZED"
    assert facts["masking"] == "TRIPLE"
    assert facts["who_masked"] == ["PARTICIPANT", "INVESTIGATOR", "OUTCOMES_ASSESSOR"]
    assert facts["conditions"] == ["Amyotrophic Lateral Sclerosis"]
    assert [i["name"] for i in facts["interventions"]] == [
        "Riluzole",
        "IL-2",
        "5% glucose water solution",
    ]
    assert facts["sponsor"] == "Centre Hospitalier Universitaire de Nîmes"
    assert snapshot.primary_outcomes == [
        {
            "measure": "Time to death from randomisation",
            "time_frame": "Month 18",
            "description": "Survival, with censoring at 548 days.",
        }
    ]
    assert snapshot.eudract_number == "2015-005347-14"


def test_import_leaves_the_trial_as_the_documents_describe_it(trial, ctgov):  # noqa: F811
    """The trial's own fields say what the publication says; the import only
    adds a snapshot beside them."""
    before = Trial.objects.values().get(pk=trial.pk)
    import_command()
    assert Trial.objects.values().get(pk=trial.pk) == before
    assert trial.phase == "2b" and trial.participants == 220


def test_reimport_keeps_earlier_snapshots(trial, ctgov):  # noqa: F811
    """Registries change: each import adds a dated snapshot, newest first."""
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        import_command()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)):
        output = import_command()
    assert "2 snapshots kept" in output
    dates = [
        timezone.localdate(s.fetched_at)
        for s in trial.registry_snapshots.newest_first()
    ]
    assert dates == [datetime.date(2026, 3, 2), datetime.date(2026, 1, 5)]


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (404, b'{"message": "not found"}', "no study NCT03039673 (404"),
        (500, b"oops", "HTTP 500"),
        (200, b"<html>maintenance</html>", "is not JSON"),
        (200, b'{"studies": []}', "has no protocolSection"),
        (
            200,
            b'{"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}}',
            "describes NCT00000001, not NCT03039673",
        ),
        (
            200,
            b'{"protocolSection": {"identificationModule": {"nctId": "NCT03039673"},'
            b' "designModule": {"enrollmentInfo": {"count": "many"}}}}',
            "enrolment is not a number",
        ),
        (
            200,
            b'{"protocolSection": {"identificationModule": {"nctId": "NCT03039673"},'
            b' "designModule": {"designInfo": ["RANDOMIZED"]}}}',
            "layout of the API version 2",
        ),
    ],
)
def test_a_bad_answer_is_a_clear_error_and_writes_nothing(
    trial,
    ctgov,  # noqa: F811
    status,
    body,
    message,
):
    """A 404, a server error or an answer that is not the study's JSON stops
    the command with a message (non-zero exit) and no snapshot."""
    ctgov.answer("NCT03039673", status, body)
    with pytest.raises(CommandError, match=re.escape(message)):
        import_command()
    assert not RegistrySnapshot.objects.exists()


def test_a_registry_that_does_not_answer_in_time_is_an_error(trial, ctgov):  # noqa: F811
    """The client waits CTGOV_API_TIMEOUT seconds, then gives up cleanly."""
    ctgov.answer("NCT03039673", "hang", b"")
    with (
        override_settings(CTGOV_API_TIMEOUT=0.2),
        pytest.raises(CommandError, match="did not answer within 0.2 seconds"),
    ):
        import_command()
    assert not RegistrySnapshot.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"SSH-2.0-OpenSSH\r\n", id="not HTTP"),
        pytest.param(
            b'HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n{"protocolSection"',
            id="cut off",
        ),
    ],
)
def test_an_answer_that_is_not_whole_http_is_an_error(trial, ctgov, body):  # noqa: F811
    ctgov.answer("NCT03039673", "raw", body)
    with pytest.raises(CommandError, match="not a complete HTTP answer"):
        import_command()
    assert not RegistrySnapshot.objects.exists()


@pytest.mark.parametrize("depth", [100, 100_000])
def test_json_nested_beyond_reason_is_an_error(trial, ctgov, depth):  # noqa: F811
    """Too deep to read, or to store: either way, not a study."""
    ctgov.answer("NCT03039673", 200, b"[" * depth + b"]" * depth)
    with pytest.raises(CommandError, match="not JSON"):
        import_command()
    assert not RegistrySnapshot.objects.exists()


def test_a_registry_that_trickles_its_answer_is_cut_off_in_time(trial, ctgov):  # noqa: F811
    """Bytes keep coming, each in time: the whole answer still has
    CTGOV_API_TIMEOUT seconds."""
    ctgov.answer("NCT03039673", "trickle", RECORDED.read_bytes())
    with (
        override_settings(CTGOV_API_TIMEOUT=0.5),
        pytest.raises(CommandError, match="did not answer within 0.5 seconds"),
    ):
        import_command()
    assert not RegistrySnapshot.objects.exists()


def test_missing_values_are_no_text(trial, ctgov):  # noqa: F811
    """A null measure is not "None"; a study without phases ("NA") has none."""
    data = json.loads(RECORDED.read_bytes())
    data["protocolSection"]["outcomesModule"]["primaryOutcomes"][0]["measure"] = None
    data["protocolSection"]["designModule"]["phases"] = ["NA"]
    ctgov.answer("NCT03039673", 200, json.dumps(data).encode())
    import_command()
    facts = RegistrySnapshot.objects.get().facts
    assert facts["primary_outcomes"][0]["measure"] == ""
    assert facts["phases"] == []


def test_values_of_the_wrong_kind_are_no_text(trial, ctgov, client):  # noqa: F811
    """A list where a word is due is read as nothing: the trial page shows
    the rest."""
    data = json.loads(RECORDED.read_bytes())
    design = data["protocolSection"]["designModule"]
    design["designInfo"]["maskingInfo"]["masking"] = ["DOUBLE"]
    data["protocolSection"]["statusModule"]["overallStatus"] = {"x": 5}
    ctgov.answer("NCT03039673", 200, json.dumps(data).encode())
    import_command()
    facts = RegistrySnapshot.objects.get().facts
    assert (facts["masking"], facts["status"]) == ("", "")
    with translation.override("en"):
        assert client.get(trial.get_url()).status_code == 200


def test_an_unreachable_registry_is_an_error(trial, ctgov):  # noqa: F811
    """Nothing listens there: the message names the address."""
    ctgov.server.server_close()
    with (
        override_settings(CTGOV_API_URL="http://127.0.0.1:9/api/v2"),
        pytest.raises(CommandError, match="could not be reached"),
    ):
        import_command()
    assert not RegistrySnapshot.objects.exists()


def test_an_unknown_trial_is_refused(db, ctgov):  # noqa: F811
    with pytest.raises(CommandError, match="No trial record has the registry ID"):
        import_command("NCT99999999")
    assert ctgov.requests == []


def test_the_api_url_comes_from_settings():
    """The default is ClinicalTrials.gov's public API, version 2."""
    from django.conf import settings

    assert settings.CTGOV_API_URL == "https://clinicaltrials.gov/api/v2"


# The button on the trial's edit page ------------------------------------------


def test_editors_import_from_the_trial_edit_page(trial, ctgov, make_user, client):  # noqa: F811
    """The edit page offers the import; confirming it keeps a snapshot and
    says so."""
    client.force_login(make_user("edith", "Editors"))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[trial.pk]))
    url = reverse("newsroom_import_registry", args=[trial.pk])
    assert url in edit.text
    assert client.get(url).status_code == 200
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "wagtailadmin_pages:edit", args=[trial.pk]
    )
    assert trial.registry_snapshots.count() == 1
    assert "NCT03039673" in str(list(response.context["messages"])[0])
    # The edit page now shows what was registered.
    assert "Month 18" in response.text


def test_a_failed_import_from_the_admin_is_an_error_message(
    trial,
    ctgov,  # noqa: F811
    make_user,
    client,
):
    ctgov.answer("NCT03039673", 404, b"{}")
    client.force_login(make_user("edith", "Editors"))
    url = reverse("newsroom_import_registry", args=[trial.pk])
    response = client.post(url, follow=True)
    [message] = list(response.context["messages"])
    assert message.level_tag == "error"
    assert "404" in str(message)
    assert not RegistrySnapshot.objects.exists()


def test_only_those_who_may_edit_the_trial_import(trial, ctgov, make_user, client):  # noqa: F811
    """Anyone else is refused, and the registry is not asked."""
    user = make_user("visitor")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    url = reverse("newsroom_import_registry", args=[trial.pk])
    assert client.post(url).status_code in (302, 403)
    assert ctgov.requests == []
    assert not RegistrySnapshot.objects.exists()


@pytest.mark.parametrize("mode", ["slow-headers", "trickle"])
def test_the_whole_exchange_ends_within_the_timeout(trial, ctgov, mode):  # noqa: F811
    """Bytes that each come in time for a socket's timeout (the status line
    and headers a byte every half second, for a minute; or the body a byte
    every 50 ms): the import still ends after CTGOV_API_TIMEOUT seconds,
    give or take a little."""
    ctgov.answer("NCT03039673", mode, RECORDED.read_bytes())
    start = time.monotonic()
    with (
        override_settings(CTGOV_API_TIMEOUT=1),
        pytest.raises(CommandError, match="did not answer within 1 seconds"),
    ):
        import_command()
    # Not the minute the head would take, nor the body's minutes.
    assert time.monotonic() - start < 5
    assert not RegistrySnapshot.objects.exists()


@pytest.mark.parametrize(
    ("location", "named"),
    [
        (
            "https://elsewhere.example/api/v2/studies/NCT03039673",
            "https://elsewhere.example/api/v2/studies/NCT03039673",
        ),
        ("/api/v2/studies/NCT03039673?moved", "{base}/studies/NCT03039673?moved"),
    ],
)
def test_a_redirect_is_not_followed(trial, ctgov, location, named):  # noqa: F811
    """Neither to another server nor on the same one: the message says where
    it pointed, at once (the redirect's endless body is not read, else the
    import would run out of time)."""
    ctgov.answer("NCT03039673", "redirect", location.encode())
    with pytest.raises(CommandError) as raised:
        import_command()
    named = named.format(base=ctgov.base_url)
    assert f"redirected the request to {named} (HTTP 302" in str(raised.value)
    assert ctgov.requests == ["/api/v2/studies/NCT03039673"]
    assert not RegistrySnapshot.objects.exists()


@pytest.mark.parametrize("where", ["value", "key"])
def test_a_nul_character_is_refused_before_anything_is_written(
    trial,
    ctgov,  # noqa: F811
    where,
):
    """PostgreSQL stores no NUL (U+0000) in a JSON or text column: an answer
    with one, in any string, is an error and nothing is kept."""
    data = json.loads(RECORDED.read_bytes())
    outcome = data["protocolSection"]["outcomesModule"]["primaryOutcomes"][0]
    if where == "value":
        outcome["description"] = "Survival\u0000"
    else:
        outcome["note\u0000"] = "x"
    ctgov.answer("NCT03039673", 200, json.dumps(data).encode())
    assert b"\\u0000" in ctgov.answers["/api/v2/studies/NCT03039673"][1]
    with pytest.raises(CommandError, match=re.escape("NUL character (\\u0000)")):
        import_command()
    assert not RegistrySnapshot.objects.exists()


def test_an_answer_beyond_the_size_limit_is_an_error(trial, ctgov):  # noqa: F811
    """Valid JSON, but more than MAX_ANSWER_BYTES: not a study."""
    ctgov.answer("NCT03039673", 200, b" " * MAX_ANSWER_BYTES + b"{}")
    with pytest.raises(CommandError, match="the answer is too large"):
        import_command()
    assert not RegistrySnapshot.objects.exists()


@pytest.mark.parametrize(
    ("body", "name"),
    [
        (b"SSH-2.0-OpenSSH\r\n", "BadStatusLine"),
        (b'HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n{"pro', "IncompleteRead"),
    ],
)
def test_an_incomplete_answer_is_named(trial, ctgov, body, name):  # noqa: F811
    ctgov.answer("NCT03039673", "raw", body)
    with pytest.raises(CommandError, match=f"not a complete HTTP answer \\({name}\\)"):
        import_command()


def test_an_unreachable_registry_names_the_reason(trial, ctgov):  # noqa: F811
    ctgov.server.server_close()
    with (
        override_settings(CTGOV_API_URL="http://127.0.0.1:9/api/v2"),
        pytest.raises(CommandError) as raised,
    ):
        import_command()
    assert str(raised.value) == (
        "ClinicalTrials.gov could not be reached "
        "(http://127.0.0.1:9/api/v2/studies/NCT03039673): "
        "[Errno 111] Connection refused."
    )


@pytest.mark.parametrize(
    ("mode", "body", "french"),
    [
        ("redirect", b"https://elsewhere.example/", "a redirigé la requête vers"),
        (200, b'{"x": "\\u0000"}', "elle contient un caractère NUL (\\u0000)"),
    ],
)
def test_the_new_refusals_are_said_in_french(trial, ctgov, mode, body, french):  # noqa: F811
    ctgov.answer("NCT03039673", mode, body)
    with translation.override("fr"), pytest.raises(RegistryError) as raised:
        read_registry("NCT03039673")
    assert french in str(raised.value)
