"""The embargo scheduler: every approved, scheduled release goes live once, at
its time; one that cannot go live stays scheduled and someone is told."""

import datetime
import logging
from io import StringIO

from django.core.mail.backends import locmem
from django.core.management import call_command, get_commands
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, PageLogEntry
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

import pytest
import time_machine

from announcements.management.commands.publish_scheduled import (
    Command as PublishScheduled,
)
from announcements.models import PressRelease, ReleaseIndexPage, Trial
from announcements.scheduling import (
    FAILED_ACTION,
    StillScheduled,
    conflicting_schedule,
    publish_scheduled,
)
from tests.factories import build_release, build_trial
from tests.support import run_worker

EMBARGO = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
LOGGER = "announcements.scheduling"


def schedule(page, when=EMBARGO):
    """Approve ``page``'s draft for publication at ``when``."""
    page.go_live_at = when
    page.save_revision().publish()
    page = PressRelease.objects.get(pk=page.pk)
    revision = page.scheduled_revision
    assert revision is not None and revision.approved_go_live_at == when
    return revision


def take_address(page, slug_fr, slug_en):
    """Give ``page`` an address behind the admin's back, as a page move, two
    editors racing, or an old import can."""
    Page.objects.filter(pk=page.pk).update(slug_fr=slug_fr, slug_en=slug_en)


def after(minutes):
    return time_machine.travel(
        EMBARGO + datetime.timedelta(minutes=minutes), tick=False
    )


@pytest.fixture
def trial(home):
    return build_trial(home)


@pytest.fixture
def blocked(home, trial):
    """Two releases scheduled at the embargo; a sibling has meanwhile taken
    the address of the first, so only the second can go live."""
    stuck = build_release(
        home,
        trial,
        live=False,
        title_fr="Communiqué bloqué",
        slug_fr="communique-bloque",
        slug_en="blocked-release",
    )
    fine = build_release(home, trial, live=False, title_fr="Communiqué prêt")
    stuck_revision = schedule(stuck)
    fine_revision = schedule(fine, EMBARGO + datetime.timedelta(seconds=1))
    squatter = build_release(home, trial, slug_fr="autre", slug_en="other")
    take_address(squatter, "communique-bloque", "other")
    return {
        "stuck": stuck,
        "fine": fine,
        "stuck_revision": stuck_revision,
        "fine_revision": fine_revision,
        "squatter": squatter,
    }


@pytest.fixture
def reviewers(make_user):
    """Who is told of a failure: active communications reviewers with an
    address, each in their admin language (both when they chose none)."""
    claude = make_user("claude", "Communications reviewers")
    emma = make_user("emma", "Communications reviewers")
    profile = UserProfile.get_for_user(emma)
    profile.preferred_language = "en"
    profile.save()
    make_user("gone", "Communications reviewers", is_active=False)
    silent = make_user("silent", "Communications reviewers")
    silent.email = ""
    silent.save()
    make_user("marie", "Medical reviewers")
    return {"claude": claude, "emma": emma}


def test_the_newsroom_command_replaces_wagtails():
    """Cron and the README call ``publish_scheduled``: it must be ours, or a
    failure would lose the schedule again (INSTALLED_APPS order decides)."""
    assert get_commands()["publish_scheduled"] == "announcements"


def test_a_failed_publication_stays_scheduled_is_reported_and_others_go_live(
    blocked, reviewers, mailoutbox, caplog, committed
):
    """A release that cannot go live keeps its approved schedule (nothing is
    lost), the failure is logged and mailed to the communications reviewers
    (through the worker's queue: the scheduler waits for no mail server), and
    the releases after it still go live at their embargo."""
    stuck, stuck_revision = blocked["stuck"], blocked["stuck_revision"]
    with after(2), caplog.at_level(logging.INFO, logger=LOGGER):
        with pytest.raises(StillScheduled) as failed, committed():
            call_command("publish_scheduled", stdout=StringIO(), stderr=StringIO())
    assert failed.value.new
    assert mailoutbox == []
    run_worker()

    stuck_revision.refresh_from_db()
    assert stuck_revision.approved_go_live_at == EMBARGO
    assert not PressRelease.objects.get(pk=stuck.pk).live
    assert PressRelease.objects.get(pk=blocked["fine"].pk).live

    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    message = errors[0].getMessage()
    assert str(stuck.pk) in message and "Communiqué bloqué" in message
    assert "slug" in message

    entry = PageLogEntry.objects.get(page=stuck, action=FAILED_ACTION)
    assert entry.revision_id == stuck_revision.pk

    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "claude@example.org",
        "emma@example.org",
    ]
    edit_url = f"http://127.0.0.1:8000/admin/pages/{stuck.pk}/edit/"
    by_user = {mail.to[0]: mail for mail in mailoutbox}
    both = by_user["claude@example.org"]
    assert "Communiqué bloqué" in both.subject and edit_url in both.body
    assert "Embargo non levé" in both.subject and "Embargo not lifted" in both.subject
    assert "toujours programmé" in both.body and "still scheduled" in both.body
    english = by_user["emma@example.org"]
    assert english.subject.startswith("Embargo not lifted")
    assert "toujours programmé" not in english.body and edit_url in english.body


def test_a_failure_report_waits_for_the_mail_server(
    blocked, reviewers, mailoutbox, committed, monkeypatch
):
    """The mail server is down when the lift fails: the scheduler does not
    wait for it, the report stays queued and is tried again, and each
    reviewer has it once when the server is back."""
    send = locmem.EmailBackend.send_messages
    down = [True]

    def server(backend, messages):
        if down:
            raise ConnectionRefusedError(111, "Connection refused")
        return send(backend, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", server)
    with after(2), pytest.raises(StillScheduled), committed():
        call_command("publish_scheduled", stdout=StringIO(), stderr=StringIO())
    with after(2):
        run_worker()
    assert mailoutbox == []
    down.clear()
    with after(4):
        run_worker()
        run_worker()
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "claude@example.org",
        "emma@example.org",
    ]


def test_a_failure_is_reported_once_and_retried_until_it_can_go_live(
    blocked, reviewers, mailoutbox, caplog, committed
):
    """Cron runs every minute: the same failure is not mailed again each
    minute, yet the release is tried every run and goes live, dated at its
    embargo, as soon as its address is free."""
    with after(2), pytest.raises(StillScheduled), committed():
        call_command("publish_scheduled", stdout=StringIO(), stderr=StringIO())
    run_worker()
    assert len(mailoutbox) == 2

    caplog.clear()
    with after(3), caplog.at_level(logging.INFO, logger=LOGGER):
        with pytest.raises(StillScheduled) as failed, committed():
            call_command("publish_scheduled", stdout=StringIO(), stderr=StringIO())
    run_worker()
    assert not failed.value.new
    assert len(mailoutbox) == 2
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert PageLogEntry.objects.filter(action=FAILED_ACTION).count() == 1

    take_address(blocked["squatter"], "autre", "other")
    with after(4):
        call_command("publish_scheduled", stdout=StringIO())
    stuck = PressRelease.objects.get(pk=blocked["stuck"].pk)
    assert stuck.live and stuck.first_published_at == EMBARGO
    assert stuck.scheduled_revision is None


def test_the_command_exits_non_zero_and_speaks_only_of_new_failures(
    blocked, reviewers, monkeypatch, capsys
):
    """Cron mails what a job writes: a new failure is written once; every
    run that leaves something scheduled exits non-zero for monitoring."""
    monkeypatch.setattr(connections, "close_all", lambda: None)  # test transaction

    def run():
        with pytest.raises(SystemExit) as exit_status:
            PublishScheduled().run_from_argv(["manage.py", "publish_scheduled"])
        return exit_status.value.code, capsys.readouterr().err

    with after(2):
        code, err = run()
    assert code == 1
    assert "Communiqué bloqué" in err and "stay scheduled" in err
    with after(3):
        code, err = run()
    assert code == 1 and err == ""


def test_a_late_run_dates_the_first_publication_at_the_embargo(home, trial):
    """Feeds and pages announce the embargo time as the publication date even
    when the scheduler ran hours late (the machine was down)."""
    release = build_release(home, trial, live=False)
    schedule(release)
    late = EMBARGO + datetime.timedelta(hours=6)
    with time_machine.travel(late, tick=False):
        call_command("publish_scheduled", stdout=StringIO())
    release = PressRelease.objects.get(pk=release.pk)
    assert release.live
    assert release.first_published_at == EMBARGO
    assert release.last_published_at == late


def test_a_scheduled_change_keeps_the_first_publication_date(home, trial):
    """A correction scheduled on a live release does not move the date it was
    first published."""
    first = EMBARGO - datetime.timedelta(days=10)
    with time_machine.travel(first, tick=False):
        release = build_release(home, trial)
    release.title_en = "Corrected title"
    schedule(release)
    with after(30):
        call_command("publish_scheduled", stdout=StringIO())
    release = PressRelease.objects.get(pk=release.pk)
    assert release.title_en == "Corrected title"
    assert release.first_published_at == first


def test_the_development_loop_survives_a_failing_page(blocked, caplog):
    """``make run``'s scheduler keeps running when a page fails: the other
    releases go live and the failed one is tried again at the next run."""
    with after(2), caplog.at_level(logging.INFO, logger=LOGGER):
        call_command("run_publish_scheduler", runs=2, interval=0, stdout=StringIO())
    assert PressRelease.objects.get(pk=blocked["fine"].pk).live
    assert not PressRelease.objects.get(pk=blocked["stuck"].pk).live
    attempts = [r for r in caplog.records if "Communiqué bloqué" in r.getMessage()]
    assert len(attempts) == 2  # reported the first time, tried again the second


def test_the_development_loop_survives_an_unexpected_error(
    home, trial, monkeypatch, caplog
):
    """An error outside any page (a database hiccup) is logged; the next run
    still publishes."""
    release = build_release(home, trial, live=False)
    schedule(release)
    module = "announcements.management.commands.publish_scheduled.publish_scheduled"
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return publish_scheduled()

    monkeypatch.setattr(module, flaky)
    with after(1), caplog.at_level(logging.ERROR, logger=LOGGER):
        call_command("run_publish_scheduler", runs=2, interval=0, stdout=StringIO())
    assert "database went away" in caplog.text
    assert PressRelease.objects.get(pk=release.pk).live


def test_the_development_loop_stops_on_ctrl_c(db, monkeypatch):
    """Its wait between runs can still be interrupted (Ctrl-C, ``make run``'s
    trap): the loop does not swallow KeyboardInterrupt."""

    def interrupted(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr("time.sleep", interrupted)
    with pytest.raises(KeyboardInterrupt):
        call_command("run_publish_scheduler", interval=30, stdout=StringIO())


class TestReservedAddresses:
    """An address a sibling's approved schedule will take is refused to other
    pages when they are edited, not discovered at the embargo."""

    @pytest.fixture
    def scheduled(self, home, trial):
        """A live release whose approved change renames it at its embargo:
        until then its page keeps the old address, which is all Wagtail
        checks."""
        release = build_release(
            home,
            trial,
            title_fr="Résultats préliminaires",
            slug_fr="resultats-preliminaires",
            slug_en="preliminary-results",
        )
        release.title_fr = "Résultats programmés"
        release.slug_fr, release.slug_en = "resultats-programmes", "scheduled-results"
        schedule(release, datetime.datetime(2030, 6, 15, 8, 0, tzinfo=datetime.UTC))
        return release

    @pytest.fixture
    def admin(self, make_user, client):
        client.force_login(make_user("root", is_superuser=True, is_staff=True))
        return client

    def test_editing_a_sibling_onto_a_reserved_english_address_is_refused(
        self, home, trial, scheduled, admin
    ):
        other = build_release(home, trial, slug_fr="autre", slug_en="other")
        url = reverse("wagtailadmin_pages:edit", args=(other.pk,))
        data = querydict_from_html(admin.get(url).text, form_id="page-edit-form")
        data["slug_en"] = "scheduled-results"
        response = admin.post(url, data)
        assert response.status_code == 200
        assert "Cette adresse est réservée par « Résultats programmés »" in (
            response.text
        )
        assert "15 juin 2030 10:00" in response.text  # Paris time
        other.refresh_from_db()
        assert other.get_latest_revision_as_object().slug_en == "other"

    def test_a_new_page_cannot_take_a_reserved_french_address(
        self, home, trial, scheduled, admin
    ):
        parent = ReleaseIndexPage.objects.child_of(home).get()
        url = reverse(
            "wagtailadmin_pages:add",
            args=("announcements", "pressrelease", parent.pk),
        )
        data = querydict_from_html(admin.get(url).text, form_id="page-edit-form")
        data.update(
            {
                "title_fr": "Autre communiqué",
                "slug_fr": "resultats-programmes",
                "slug_en": "",
                "trial": str(trial.pk),
                "organisation": str(scheduled.organisation_id),
            }
        )
        response = admin.post(url, data)
        assert response.status_code == 200
        assert "Cette adresse est réservée par" in response.text
        assert not PressRelease.objects.filter(title_fr="Autre communiqué").exists()

    def test_a_blank_english_slug_takes_the_french_one_into_account(
        self, home, trial, scheduled
    ):
        """URLs fall back to the French slug, so does the reservation."""
        other = build_release(home, trial, slug_fr="autre", slug_en="other")
        other.slug_fr, other.slug_en = "scheduled-results", ""
        revision, language = conflicting_schedule(other, other.get_parent())
        assert revision.object_id == str(scheduled.pk) and language == "en"
        other.slug_fr, other.slug_en = "autre", "other"
        assert conflicting_schedule(other, other.get_parent()) is None

    def test_the_scheduled_page_itself_keeps_its_address(self, scheduled):
        with time_machine.travel(
            datetime.datetime(2030, 6, 15, 8, 1, tzinfo=datetime.UTC), tick=False
        ):
            call_command("publish_scheduled", stdout=StringIO())
        renamed = PressRelease.objects.get(pk=scheduled.pk)
        assert renamed.live and renamed.slug_en == "scheduled-results"


def test_a_lift_is_refused_when_the_trials_result_now_contradicts_a_claim(
    home, trial, reviewers, mailoutbox, committed
):
    """Approved while the trial read "met", lifted after a publisher corrected
    it to "not met": the release stays scheduled and the communications
    reviewers are told why, as for any failed lift."""
    trial.primary_outcome_result = Trial.OutcomeResult.MET
    trial.save_revision().publish()
    release = build_release(
        home,
        trial,
        live=False,
        title_fr="Communiqué optimiste",
        standfirst_fr="L'IL-2 améliore significativement la survie.",
    )
    revision = schedule(release)
    trial.primary_outcome_result = Trial.OutcomeResult.NOT_MET
    trial.save_revision().publish()

    with after(2), pytest.raises(StillScheduled), committed():
        call_command("publish_scheduled", stdout=StringIO(), stderr=StringIO())
    run_worker()

    revision.refresh_from_db()
    assert revision.approved_go_live_at == EMBARGO
    assert not PressRelease.objects.get(pk=release.pk).live
    entry = PageLogEntry.objects.get(page=release, action=FAILED_ACTION)
    assert entry.revision_id == revision.pk
    reasons = {mail.to[0]: mail.body for mail in mailoutbox}
    # The reason as the scheduler met it (in the newsroom's language).
    assert "critère principal" in reasons["emma@example.org"]
    assert trial.title in reasons["emma@example.org"]
