import os
import shutil
import socket
import subprocess
from contextlib import ExitStack
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections, transaction

from wagtail.models import Page, Site

import pytest
import redis
from pytest_django.plugin import blocking_manager_key

from announcements import newsrooms, teams
from announcements.models import HomePage, Institution
from announcements.site_tree import ensure_site_tree
from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.factories import build_trial
from tests.support import (
    OTHER_NEWSROOM,
    Processes,
    create_user,
    free_port,
    module_data,
    wait_until,
)

# Playwright's sync API runs an event loop in the test thread; the live
# server's database calls happen in their own thread, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    """Compile the French catalogues (the project's and the apps' own) when
    missing or stale, so that a plain ``pytest`` tests the French site too
    (once, before any worker)."""
    if hasattr(config, "workerinput"):
        return
    root = Path(__file__).resolve().parent
    catalogue = Path("fr") / "LC_MESSAGES" / "django.po"
    places = [root / "locale", *(app / "locale" for app in sorted(root.iterdir()))]
    for po in (place / catalogue for place in dict.fromkeys(places)):
        mo = po.with_suffix(".mo")
        if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)


# Fixtures of modules that run for tens of seconds: a browser, a live server,
# servers started as processes.
LONG_RUNNING = {"page", "live_server", "processes"}


@dataclass
class Module:
    """What the scheduling and the data shared by a module's tests need to
    know of a test module, read once from its collected tests."""

    rank: int = 2  # 0: marked ``long``; 1: a browser or servers; 2: the rest
    tests: int = 0
    seeded: bool = False  # a test reads the seed content (``HeldSeeds``)
    commits: bool = False  # a test commits (``_test_commits``)


MODULES = pytest.StashKey[dict]()


def _test_commits(item):
    """Does the test commit (a live server, a transactional database)?"""
    marker = item.get_closest_marker("django_db")
    return bool({"transactional_db", "live_server"} & set(item.fixturenames)) or (
        marker is not None and marker.kwargs.get("transaction", False)
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Long modules first (those marked ``long``, then those with a browser or
    servers), so that no core is left waiting for one long module at the end
    of the run; the modules on the seeded site together (``HeldSeeds``); then
    by their number of tests (xdist's own order, which
    ``--no-loadscope-reorder`` in pyproject.toml turns off). Last, so that
    it reads the tests left once ``-k`` and ``-m`` have chosen."""
    modules = config.stash[MODULES] = {}
    for item in items:
        module = modules.setdefault(item.module, Module())
        module.tests += 1
        if item.get_closest_marker("long") is not None:
            module.rank = 0
        elif LONG_RUNNING & set(item.fixturenames):
            module.rank = min(module.rank, 1)
        module.seeded |= "seeded" in item.fixturenames
        module.commits |= _test_commits(item)
    items.sort(
        key=lambda item: (
            modules[item.module].rank,
            not modules[item.module].seeded,
            -modules[item.module].tests,
        )
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the sitemap is cached), as a
    freshly started site would."""
    cache.clear()


@pytest.fixture
def page_cache_on(settings):
    """Public pages and feeds cached for anonymous readers, as in production
    (the test settings leave the page cache off: a test's changes are not
    committed, so they would not expire it; use ``committed`` with it)."""
    settings.PAGE_CACHE_SECONDS = 3600


@pytest.fixture
def cache_down(settings):
    """The production cache (Redis, failing softly) with its server
    unreachable: a port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.SoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def processes(tmp_path):
    """Servers a test starts as real processes, stopped after it whatever
    happens."""
    started = Processes(tmp_path)
    yield started
    started.stop()


@pytest.fixture
def redis_server(processes):
    """A real redis-server on a free port (Debian's package, which ``make
    test`` installs): ``(url, client, process)``."""
    server = shutil.which("redis-server")
    assert server, "redis-server is missing: `make test` installs it (apt)"
    port = free_port()
    process, log = processes.start(
        "redis",
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no"],
    )
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)
    wait_until(client.ping, "redis-server", process, log)
    return f"redis://127.0.0.1:{port}/0", client, process


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs a change as committed: what waits for the commit (the cache's
    expiry) runs at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


MIGRATED = pytest.StashKey[str]()


@pytest.fixture(scope="session", autouse=True)
def migrated_data(request, django_db_setup, django_db_blocker):
    """What the migrations created (root page, Wagtail's default site, the
    editorial groups, their permissions and workflow), copied as Django
    copies it for a serialized rollback, once the test database is made."""
    with django_db_blocker.unblock():
        request.config.stash[MIGRATED] = connection.creation.serialize_db_to_string()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test that commits leaves the database emptied (pytest-django flushes
    it): what the migrations created is put back for the tests after it.
    Connections opened outside pytest-django's own are closed, else
    PostgreSQL still counts them when the test database is dropped at the
    end of the run, and keeps the database."""
    if nextitem is None:
        connections.close_all()
    result = yield
    if nextitem is not None and _test_commits(item):
        with item.config.stash[blocking_manager_key].unblock():
            if Page.objects.exists():
                return result  # not emptied: the test was skipped
            # The flush made content types and permissions anew (its
            # post_migrate), under other keys: theirs come back with the rest.
            Permission.objects.all().delete()
            ContentType.objects.all().delete()
            ContentType.objects.clear_cache()
            connection.creation.deserialize_db_from_string(item.config.stash[MIGRATED])
    return result


@pytest.fixture(scope="module")
def site_tree_once(request, django_db_setup, django_db_blocker):
    """The site tree built once for a module and rolled back after it, as
    the seed content; in a module whose tests commit, None (built per test)."""
    if request.config.stash[MODULES][request.module].commits:
        yield None
        return
    with module_data(django_db_blocker):
        yield ensure_site_tree().pk


@pytest.fixture
def home(site_tree_once, db):
    """The real site tree: home page, four indexes, review workflow (each
    test gets its own copy of the home page; its changes are rolled back)."""
    if site_tree_once is None:
        return ensure_site_tree()
    return HomePage.objects.get(pk=site_tree_once)


class HeldSeeds:
    """The seed content, loaded once and kept (never committed) while the
    modules that read it follow one another on a worker; they are scheduled
    together (``pytest_collection_modifyitems``). Any other module finds the
    database as the migrations left it."""

    stack = None

    @classmethod
    def hold(cls, django_db_blocker):
        if cls.stack is not None:
            return
        stack = ExitStack()
        try:
            stack.enter_context(django_db_blocker.unblock())
            stack.enter_context(transaction.atomic())
            call_command("load_seed_content", stdout=StringIO())
        except BaseException:
            transaction.set_rollback(True)
            stack.close()
            raise
        cls.stack = stack

    @classmethod
    def release(cls):
        if cls.stack is not None:
            transaction.set_rollback(True)
            cls.stack.close()
            cls.stack = None


@pytest.fixture(scope="session")
def seeds_released_at_the_end(django_db_setup):
    yield
    HeldSeeds.release()


@pytest.fixture(scope="module", autouse=True)
def seed_content_for_modules_that_read_it(request):
    if request.config.stash[MODULES][request.module].seeded:
        request.getfixturevalue("seeds_released_at_the_end")
        HeldSeeds.hold(request.getfixturevalue("django_db_blocker"))
    else:
        HeldSeeds.release()


@pytest.fixture
def seeded(home):
    """The MIROCALS seed content, loaded as ``make run`` loads it (once for
    the modules that use it running one after another on a worker)."""


@pytest.fixture
def trial(home):
    """A live trial record: MIROCALS, NCT03039673."""
    return build_trial(
        home, title_fr="MIROCALS", title_en="MIROCALS", registry_id="NCT03039673"
    )


@pytest.fixture
def people(make_user):
    """One user in each editorial group, as the review tests need them."""
    return {
        "editor": make_user("edith", "Editors"),
        "medical": make_user("marie", "Medical reviewers"),
        "communications": make_user("claude", "Communications reviewers"),
        "publisher": make_user("paul", "Publishers"),
    }


@pytest.fixture
def make_user(db):
    return create_user


@pytest.fixture
def no_autosave(settings):
    """For browser tests that save by hand: on a loaded machine Wagtail's
    autosave (every half second) can race the explicit save of the same new
    page, which is Wagtail's own behaviour and not what they check."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


# Two newsrooms: the CHU's (the default site) and FILSLAN's ----------------


@pytest.fixture
def other(home):
    """FILSLAN's newsroom beside the CHU's, at ``OTHER_NEWSROOM``."""
    chu = Institution.for_site(Site.objects.get(is_default_site=True))
    chu.name_fr = "CHU de Nîmes"
    chu.save()
    site = newsrooms.add_newsroom(
        hostname=OTHER_NEWSROOM, name_fr="FILSLAN", name_en="FILSLAN network"
    )
    site.root_page = site.root_page.specific
    return site


@pytest.fixture
def crew(make_user, other):
    """One user per role in each newsroom."""
    people = {}
    for key, role in (
        ("editor", "Editors"),
        ("medical", "Medical reviewers"),
        ("communications", "Communications reviewers"),
        ("publisher", "Publishers"),
    ):
        people[key] = make_user(f"chu-{key}", role)
        people[f"other_{key}"] = make_user(
            f"filslan-{key}", teams.group_name(role, "FILSLAN")
        )
    return people
