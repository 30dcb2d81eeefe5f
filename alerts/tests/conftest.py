"""What the alerts' tests do as the admin and the scheduler do: publish, and
lift an embargo; the worker then sends the alerts."""

from io import StringIO

from django.core.management import call_command

import pytest
import time_machine

from tests.support import run_worker


@pytest.fixture
def go_live(committed):
    """Publishes a draft as the admin does; alerts are queued once committed,
    and the worker sends them."""

    def publish(page):
        with committed():
            page.save_revision().publish()
        run_worker()
        return page

    return publish


@pytest.fixture
def lift(committed):
    """One run of the scheduler at ``moment``, then of the worker."""

    def run(moment):
        with time_machine.travel(moment, tick=False):
            with committed():
                call_command("publish_scheduled", stdout=StringIO())
            run_worker()

    return run
