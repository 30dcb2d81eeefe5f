"""Fill the seeded site with thousands of live pages, fast, for load tests.

Usage (the database must be migrated and seeded, as ``bench/run.sh`` does)::

    DATABASE_URL=... python bench/populate.py [--releases 10000]
        [--statements 3000] [--trials 200] [--contacts 500]

Counts are totals: what the seed content already holds is counted in.

Publishing page by page through Wagtail costs about 0.2 s a page (tree
locks, revisions, signals, search index), so 130,000 pages would take most of
a working day. This writes the same rows Wagtail writes, in bulk: it computes
the tree paths itself (treebeard's materialised path) and takes every key
first, then writes the ``Page`` rows and the rows of each page type
(multi-table inheritance), their contacts, one revision per page (its
``latest_revision`` and ``live_revision``), its "created" and "published"
history entries, its search index entry (the search backend's own, in bulk)
and its reference index entries (Wagtail's own extraction). Every page has
its own ``translation_key``, the default locale, French and English text,
and a French and an English address, as an editor's page would;
``tests/test_bench_populate.py`` checks that Wagtail would write the same.

On PostgreSQL the rows go by ``COPY``, sent by a second thread while the
next pages are prepared, and the indexes no constraint needs are built once
at the end (``indexes_built_after``); 100,000 releases take a few minutes.
"""

import argparse
import contextlib
import datetime
import os
import queue
import random
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Pages prepared, then written, at a time.
CHUNK = 1000
# Search index entries per INSERT (each about 60 parameters).
SEARCH_BATCH = 500
# Seconds spent in each step, over the whole run.
TIMINGS = {}
# One in FLAGSHIP_SHARE of the items is about the first trial, so that one
# trial page has a long list of its own (page 200 exists at 10,000 items).
FLAGSHIP_SHARE = 0.4

WORDS = [
    ("biomarqueur", "biomarker"),
    ("cohorte", "cohort"),
    ("randomisation", "randomisation"),
    ("survie", "survival"),
    ("tolérance", "tolerance"),
    ("inclusion", "enrolment"),
    ("placebo", "placebo"),
    ("immunothérapie", "immunotherapy"),
    ("pharmacovigilance", "pharmacovigilance"),
    ("résultats", "results"),
    ("recrutement", "recruitment"),
    ("financement", "funding"),
]
PARAGRAPHS = {
    "fr": (
        "L’essai {trial} évalue chez {n} patients l’effet d’un traitement sur la "
        "{word}, avec un suivi de deux ans dans dix-sept centres. Les équipes "
        "présentent aujourd’hui les premières données consolidées de l’étude.",
        "Les investigateurs rappellent que ces résultats doivent être confirmés "
        "par d’autres études avant toute modification des pratiques cliniques. "
        "Les patients inclus continuent d’être suivis selon le protocole.",
        "L’étude est promue par le centre hospitalier et financée par un "
        "programme hospitalier de recherche clinique, avec le soutien des "
        "associations de patients partenaires.",
    ),
    "en": (
        "The {trial} trial assesses in {n} patients the effect of a treatment "
        "on {word}, with two years of follow-up in seventeen centres. The teams "
        "present today the first consolidated data of the study.",
        "The investigators recall that these results must be confirmed by other "
        "studies before any change in clinical practice. Enrolled patients "
        "continue to be followed according to the protocol.",
        "The study is sponsored by the hospital and funded by a national "
        "clinical research programme, with the support of partner patient "
        "organisations.",
    ),
}


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    import django

    django.setup()


def _body(language, trial, number, word):
    return "".join(
        f"<p>{paragraph.format(trial=trial, n=120 + number % 900, word=word)}</p>"
        for paragraph in PARAGRAPHS[language]
    )


class TreeWriter:
    """Writes pages under one parent the way ``parent.add_child`` would, with
    their inline rows, revisions, history and index entries."""

    def __init__(self, rows, parent, model, now):
        from django.contrib.contenttypes.models import ContentType

        from wagtail.models import Locale, Page

        self.rows = rows
        self.Page = Page
        self.parent = Page.objects.get(pk=parent.pk)
        self.model = model
        self.now = now
        self.content_type = ContentType.objects.get_for_model(model)
        self.page_content_type = ContentType.objects.get_for_model(Page)
        self.locale = Locale.get_default()
        last = self.parent.get_last_child()
        self.next_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1

    def page(self, published_at, **fields):
        """An unsaved ``model`` instance placed as the parent's next child."""
        page = self.model(**fields)
        page.path = self.Page._get_path(
            self.parent.path, self.parent.depth + 1, self.next_step
        )
        self.next_step += 1
        page.depth = self.parent.depth + 1
        page.numchild = 0
        page.content_type = self.content_type
        page.locale = self.locale
        page.translation_key = uuid.uuid4()
        for code in ("fr", "en"):
            slug = getattr(page, f"slug_{code}")
            parent_path = getattr(self.parent, f"url_path_{code}")
            setattr(page, f"url_path_{code}", f"{parent_path}{slug}/")
        page.url_path = page.url_path_fr
        page.draft_title = page.title_fr
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = published_at
        page.latest_revision_created_at = published_at
        if hasattr(page, "set_listed_at"):
            page.set_listed_at()
        return page

    def insert(self, pages, children=()):
        """Write ``pages``, with the inline rows ``children`` gives for each
        (``[(relation, rows_of(page))]``: its contacts), also kept on the page
        in memory, where its revision and reference index read them."""
        from django.db import connection

        from wagtail.models import PageLogEntry, Revision

        from modelcluster.models import get_all_child_relations

        clock = Clock()
        # Every key first: a page, its contacts and its revision are then
        # written knowing each other's, without waiting for the database.
        for page, pk in zip(pages, new_ids(self.Page, len(pages)), strict=True):
            page.pk = page.id = pk
            setattr(page, self.model._meta.pk.attname, pk)
            page._state.adding = False
            page._state.db = connection.alias
        given = dict(children)
        inline = []
        for relation in get_all_child_relations(self.model):
            name = relation.get_accessor_name()
            every = []
            for page in pages:
                of_page = given[name](page) if name in given else []
                setattr(page, name, of_page)
                every += of_page
            model = relation.related_model
            for row, pk in zip(every, new_ids(model, len(every)), strict=True):
                row.pk = pk
            if every:
                inline.append((model, name))
        revision_ids = new_ids(Revision, len(pages))
        clock.lap("keys")
        for start in range(0, len(pages), CHUNK):
            chunk = pages[start : start + CHUNK]
            # What the page was when it was published: no revision yet.
            revisions = [
                Revision(
                    pk=pk,
                    content_type=self.content_type,
                    base_content_type=self.page_content_type,
                    object_id=str(page.pk),
                    created_at=page.first_published_at,
                    object_str=page.title_fr,
                    content=page.serializable_data(),
                )
                for page, pk in zip(
                    chunk, revision_ids[start : start + CHUNK], strict=True
                )
            ]
            for page, revision in zip(chunk, revisions, strict=True):
                page.latest_revision_id = page.live_revision_id = revision.pk
            clock.lap("revision content")
            self.rows.insert(Revision, revisions)
            self.rows.insert(self.Page, chunk)
            self.rows.insert(self.model, chunk)
            for model, name in inline:
                self.rows.insert(
                    model, [row for page in chunk for row in getattr(page, name).all()]
                )
            self.rows.insert(
                PageLogEntry,
                [
                    PageLogEntry(
                        content_type=self.content_type,
                        page_id=page.pk,
                        revision_id=page.latest_revision_id
                        if action == "wagtail.publish"
                        else None,
                        action=action,
                        label=page.title_fr,
                        timestamp=page.first_published_at,
                        content_changed=True,
                        data={},
                    )
                    for page in chunk
                    for action in ("wagtail.create", "wagtail.publish")
                ],
            )
            clock.lap("pages, revisions and history")
            self.rows.index(self.model, chunk)
            clock.lap("search index")
            self.rows.references(self.model, chunk)
            clock.lap("reference index")
        self.rows.wait()
        clock.lap("waiting for the database")
        self.Page.objects.filter(pk=self.parent.pk).update(
            numchild=self.parent.numchild + len(pages)
        )
        self.parent.numchild += len(pages)


class Clock:
    """Adds the seconds since its last lap to a step's total (``TIMINGS``)."""

    def __init__(self):
        self.last = time.monotonic()

    def lap(self, step):
        now = time.monotonic()
        TIMINGS[step] = TIMINGS.get(step, 0) + now - self.last
        self.last = now


def new_ids(model, count):
    """``count`` primary keys for new ``model`` rows, taken before the rows
    are written."""
    from django.db import connection

    if not count:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                "FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        # SQLite: one writer, which writes a model's new rows before it
        # numbers the next ones.
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")  # noqa: S608
        last = cursor.fetchone()[0] or 0
        return list(range(last + 1, last + 1 + count))


class Rows:
    """Where the builder's rows go, in the order given, in the transaction
    of the build.

    On PostgreSQL a thread of its own sends them on the same connection
    (psycopg's connections are thread-safe): each table's rows with
    ``COPY``, and each batch's search index ``INSERT``, while the next pages
    are prepared, so that the database's work overlaps Python's. On SQLite
    they are inserted at once."""

    def __init__(self):
        from django.db import DEFAULT_DB_ALIAS, connections

        # The connection itself, not the proxy that looks it up on each use.
        connection = self.connection = connections[DEFAULT_DB_ALIAS]
        self.postgresql = connection.vendor == "postgresql"
        self.error = None
        self.indexed = set()
        if self.postgresql:
            connection.ensure_connection()
            # Django's connection is per thread: its psycopg connection is not.
            self.raw = connection.connection
            self.jobs = queue.Queue(maxsize=8)
            self.thread = threading.Thread(target=self._work, daemon=True)
            self.thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.postgresql:
            self.jobs.put(None)
            self.thread.join()

    def _work(self):
        while (job := self.jobs.get()) is not None:
            try:
                if self.error is None:
                    job(self.raw)
            except BaseException as error:  # noqa: BLE001 (raised in the builder)
                self.error = error
            finally:
                self.jobs.task_done()
        self.jobs.task_done()

    def _send(self, job):
        if self.error is not None:
            raise self.error
        self.jobs.put(job)

    def wait(self):
        """Until every row given is written."""
        if self.postgresql:
            self.jobs.join()
            if self.error is not None:
                raise self.error

    def insert(self, model, objs):
        """Insert ``objs`` into ``model``'s own table, as ``bulk_create``
        would (each field's ``pre_save`` and database value); on PostgreSQL
        with ``COPY``."""
        if not objs:
            return
        fields = [
            field
            for field in model._meta.local_concrete_fields
            if not (field.primary_key and objs[0].pk is None)
        ]
        values = [
            [
                field.get_db_prep_save(field.pre_save(obj, True), self.connection)
                for field in fields
            ]
            for obj in objs
        ]
        quote = self.connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(field.column) for field in fields)
        if not self.postgresql:
            with self.connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) "  # noqa: S608
                    f"VALUES ({', '.join(['%s'] * len(fields))})",
                    values,
                )
            return
        sql = f"COPY {table} ({columns}) FROM STDIN"

        def copy(raw):
            with raw.cursor() as cursor, cursor.copy(sql) as rows:
                for row in values:
                    rows.write_row(row)

        self._send(copy)

    def index(self, model, objs):
        """Index ``objs`` in the search backend, as publishing does."""
        from wagtail.search.backends import get_search_backend

        backend = get_search_backend()
        if not self.postgresql:
            for start in range(0, len(objs), SEARCH_BATCH):
                backend.add_bulk(model, objs[start : start + SEARCH_BATCH])
            return
        index = backend.get_index_for_model(model)
        self.indexed.add(index)
        for start in range(0, len(objs), SEARCH_BATCH):
            statement = index.insert_statement(
                model, objs[start : start + SEARCH_BATCH]
            )
            if statement is not None:
                self._send(lambda raw, statement=statement: _execute(raw, statement))

    def references(self, model, pages):
        """The reference index rows of new ``pages``: those
        ``ReferenceIndex.create_or_update_for_object`` writes for each, found
        by its own extraction, without its two queries per page."""
        from django.contrib.contenttypes.models import ContentType

        from wagtail.models import ReferenceIndex

        if not ReferenceIndex.is_indexed(model):
            return
        content_types = [
            ContentType.objects.get_for_model(each, for_concrete_model=False)
            for each in [model, *model._meta.get_parent_list()]
        ]
        self.insert(
            ReferenceIndex,
            [
                ReferenceIndex(
                    content_type=content_types[0],
                    base_content_type=content_types[-1],
                    object_id=page.pk,
                    to_content_type_id=to_content_type_id,
                    to_object_id=to_object_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(
                        content_path
                    ),
                )
                for page in pages
                for to_content_type_id, to_object_id, model_path, content_path in set(
                    ReferenceIndex._extract_references_from_object(page)
                )
            ],
        )

    def finish(self):
        """Once every row is written: what the search index computes over
        all its entries (each new title's weight against the average)."""
        self.wait()
        for index in self.indexed:
            index._refresh_title_norms()


def _execute(raw, statement):
    with raw.cursor() as cursor:
        cursor.execute(*statement)


@contextlib.contextmanager
def indexes_built_after(models):
    """PostgreSQL: the indexes of ``models``' tables that no constraint
    needs are dropped while rows are written, then created again from their
    own definitions: built once from all the rows rather than row by row."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [tables],
        )
        indexes = cursor.fetchall()
        # An index cannot be built on a table with foreign key checks
        # pending: they are all made before, then deferred again.
        cursor.execute(
            "SELECT DISTINCT conname FROM pg_constraint WHERE condeferred "
            "AND connamespace = current_schema()::regnamespace"
        )
        deferred = ", ".join(quote(name) for (name,) in cursor.fetchall())
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")
        if deferred:
            cursor.execute(f"SET CONSTRAINTS {deferred} DEFERRED")
    TIMINGS["indexes"] = time.monotonic() - started


def _datelines(count, now):
    """Publication moments spread over the years before ``now``, newest last."""
    step = datetime.timedelta(hours=9)
    return [now - step * (count - number) for number in range(count)]


def populate(
    releases=10_000,
    statements=3_000,
    trials=200,
    contacts=500,
    organisations=20,
    out=sys.stdout,
):
    """Bring the site to these totals of live pages (what exists counts)."""
    from django.db import transaction
    from django.utils import timezone, translation

    from announcements.models import (
        ContactIndexPage,
        Organisation,
        PartnerPosition,
        PartnerPositionContact,
        PositionIndexPage,
        PressContact,
        PressRelease,
        PressReleaseContact,
        ReleaseIndexPage,
        Trial,
        TrialIndexPage,
    )

    TIMINGS.clear()
    rng = random.Random(14)  # noqa: S311 (test data, not secrets)
    now = timezone.now().replace(microsecond=0)
    started = time.monotonic()
    from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision, Site

    from modelsearch.conf import get_app_config

    written = [
        Page,
        Trial,
        PressContact,
        PressRelease,
        PressReleaseContact,
        PartnerPosition,
        PartnerPositionContact,
        Revision,
        PageLogEntry,
        ReferenceIndex,
        get_app_config().get_model("IndexEntry"),
    ]
    with (
        translation.override("fr"),
        transaction.atomic(),
        indexes_built_after(written),
        Rows() as rows,
    ):
        existing = Organisation.objects.count()
        Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Organisation partenaire {n}",
                    name_fr=f"Organisation partenaire {n}",
                    name_en=f"Partner organisation {n}",
                    slug=f"bench-organisation-{n}",
                    kind=Organisation.Kind.CHARITY
                    if n % 2
                    else Organisation.Kind.HOSPITAL,
                    website=f"https://organisation-{n}.example.org/",
                )
                for n in range(existing, organisations)
            ]
        )
        orgs = list(Organisation.objects.order_by("pk"))
        # Everything is written in the first newsroom.
        home = Site.objects.get(is_default_site=True).root_page

        def section(model):
            return model.objects.child_of(home).get()

        # Trials ----------------------------------------------------------------
        writer = TreeWriter(rows, section(TrialIndexPage), Trial, now)
        pages = []
        for n in range(Trial.objects.count(), trials):
            acronym = f"ESSAI-{n:04d}"
            pages.append(
                writer.page(
                    now - datetime.timedelta(days=n),
                    title=acronym,
                    title_fr=acronym,
                    title_en=acronym,
                    slug=f"essai-{n}",
                    slug_fr=f"essai-{n}",
                    slug_en=f"trial-{n}",
                    full_name_fr=f"Essai multicentrique numéro {n}",
                    full_name_en=f"Multicentre trial number {n}",
                    registry_id=f"NCT9{n:07d}",
                    phase=Trial.Phase.PHASE_2B,
                    participants=100 + n,
                    centres=1 + n % 30,
                    countries_fr="France",
                    countries_en="France",
                    sponsor=orgs[n % len(orgs)],
                    primary_endpoint_fr="Survie à deux ans",
                    primary_endpoint_en="Two-year survival",
                    summary_fr=_body("fr", acronym, n, "survie"),
                    summary_en=_body("en", acronym, n, "survival"),
                )
            )
        writer.insert(pages)
        all_trials = list(Trial.objects.order_by("pk"))

        # Contacts ----------------------------------------------------------------
        writer = TreeWriter(rows, section(ContactIndexPage), PressContact, now)
        pages = []
        for n in range(PressContact.objects.count(), contacts):
            name = f"Contact Presse {n}"
            pages.append(
                writer.page(
                    now - datetime.timedelta(days=n),
                    title=name,
                    title_fr=name,
                    title_en=name,
                    slug=f"contact-{n}",
                    slug_fr=f"contact-{n}",
                    slug_en=f"contact-{n}",
                    role_fr="Chargée de communication",
                    role_en="Communications officer",
                    organisation=orgs[n % len(orgs)],
                    phone=f"+33 4 66 68 {n // 100 % 100:02d} {n % 100:02d}",
                    email=f"presse{n}@example.org",
                )
            )
        writer.insert(pages)
        all_contacts = list(
            PressContact.objects.order_by("pk").values_list("pk", flat=True)
        )

        def trial_of(n):
            if rng.random() < FLAGSHIP_SHARE:
                return all_trials[0]
            return all_trials[n % len(all_trials)]

        def announcements(index_model, model, link_model, target, prefix_fr, prefix_en):
            writer = TreeWriter(rows, section(index_model), model, now)
            first = model.objects.count()
            moments = _datelines(max(target - first, 0), now)
            pages = []
            for offset, moment in enumerate(moments):
                n = first + offset
                trial = trial_of(n)
                word_fr, word_en = WORDS[n % len(WORDS)]
                fields = {
                    "title": f"{trial.title} : {word_fr} ({prefix_fr} {n})",
                    "title_fr": f"{trial.title} : {word_fr} ({prefix_fr} {n})",
                    "title_en": f"{trial.title}: {word_en} ({prefix_en} {n})",
                    "slug": f"{prefix_fr}-{n}",
                    "slug_fr": f"{prefix_fr}-{n}",
                    "slug_en": f"{prefix_en}-{n}",
                    "trial": trial,
                    "organisation": orgs[n % len(orgs)],
                    "requires_en": True,
                    "dateline_place_fr": "Nîmes",
                    "dateline_place_en": "Nîmes",
                    "standfirst_fr": f"Nouvelles données de l’essai {trial.title} "
                    f"sur la {word_fr}.",
                    "standfirst_en": f"New data from the {trial.title} trial on "
                    f"{word_en}.",
                    "body_fr": _body("fr", trial.title, n, word_fr),
                    "body_en": _body("en", trial.title, n, word_en),
                }
                if model is PressRelease:
                    day = timezone.localdate(moment)
                    fields.update(dateline_date_fr=day, dateline_date_en=day)
                else:
                    fields.update(source_date=timezone.localdate(moment))
                pages.append(writer.page(moment, **fields))

            def links(page):
                count = 2 if model is PressRelease else 1
                return [
                    link_model(
                        page=page,
                        contact_id=all_contacts[(page.pk + k) % len(all_contacts)],
                        sort_order=k,
                    )
                    for k in range(count)
                ]

            writer.insert(pages, children=[("contact_links", links)])

        announcements(
            ReleaseIndexPage,
            PressRelease,
            PressReleaseContact,
            releases,
            "communique",
            "release",
        )
        announcements(
            PositionIndexPage,
            PartnerPosition,
            PartnerPositionContact,
            statements,
            "position",
            "statement",
        )
        finishing = time.monotonic()
        rows.finish()
        TIMINGS["search title weights"] = time.monotonic() - finishing
    out.write(
        f"{PressRelease.objects.count()} releases, "
        f"{PartnerPosition.objects.count()} statements, "
        f"{Trial.objects.count()} trials, {PressContact.objects.count()} contacts "
        f"in {time.monotonic() - started:.0f} s ("
        + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in TIMINGS.items())
        + ")\n"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=3_000)
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--contacts", type=int, default=500)
    args = parser.parse_args(argv)
    setup_django()
    populate(args.releases, args.statements, args.trials, args.contacts)
    from django.db import connection

    if connection.vendor == "postgresql":
        # The planner's statistics and the visibility map of the new rows,
        # as autovacuum would leave them in production after a while.
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        sys.stdout.write(f"VACUUM ANALYZE in {time.monotonic() - started:.0f} s\n")


if __name__ == "__main__":
    main()
