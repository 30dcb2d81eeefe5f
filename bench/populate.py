"""Fill the seeded site with thousands of live pages, fast, for load tests.

Usage (the database must be migrated and seeded, as ``bench/run.sh`` does)::

    DATABASE_URL=... python bench/populate.py [--releases 10000]
        [--statements 3000] [--trials 200] [--contacts 500]

Counts are totals: what the seed content already holds is counted in.

Publishing page by page through Wagtail costs about 0.2 s a page (tree
locks, revisions, signals, search index), so 14,000 pages would take most of
an hour. This writes the same rows Wagtail writes, in bulk: it computes the
tree paths itself (treebeard's materialised path), inserts the ``Page`` rows
then the rows of each page type (multi-table inheritance, which
``bulk_create`` refuses), then one revision per page (``latest_revision`` and
``live_revision``), its contacts, its "created" and "published" history
entries, its search-index entry and its reference-index entries. Every page
has its own ``translation_key``, the default locale, French and English text,
and a French and an English address, as an editor's page would.
"""

import argparse
import datetime
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 200
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
    """Writes pages under one parent the way ``parent.add_child`` would, in
    batches, then their revisions, history and index entries."""

    def __init__(self, parent, model, now):
        from django.contrib.contenttypes.models import ContentType

        from wagtail.models import Locale, Page

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
        """Insert ``pages``; ``children(page)`` gives the unsaved inline rows
        (contacts) of a saved page, saved with it and kept in its revision."""
        from django.db import connection

        from wagtail.models import PageLogEntry, ReferenceIndex, Revision
        from wagtail.search.backends import get_search_backend

        page_fields = [
            field
            for field in self.Page._meta.local_concrete_fields
            if not field.primary_key
        ]
        own_fields = self.model._meta.local_concrete_fields
        for start in range(0, len(pages), BATCH):
            batch = pages[start : start + BATCH]
            rows = self.Page._base_manager._insert(
                batch,
                fields=page_fields,
                returning_fields=[self.Page._meta.pk],
                using=connection.alias,
            )
            for page, (pk,) in zip(batch, rows, strict=True):
                page.pk = page.id = pk
                setattr(page, self.model._meta.pk.attname, pk)
                page._state.adding = False
            self.model._base_manager._insert(
                batch, fields=own_fields, using=connection.alias
            )
        if children:
            for relation, build in children:
                rows = []
                for page in pages:
                    links = build(page)
                    setattr(page, relation, links)
                    rows += links
                model = rows[0].__class__ if rows else None
                if model:
                    model.objects.bulk_create(rows, batch_size=BATCH)
        revisions = [
            Revision(
                content_type=self.content_type,
                base_content_type=self.page_content_type,
                object_id=str(page.pk),
                created_at=page.first_published_at,
                object_str=page.title_fr,
                content=page.serializable_data(),
            )
            for page in pages
        ]
        Revision.objects.bulk_create(revisions, batch_size=BATCH)
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision_id = page.live_revision_id = revision.pk
        self.Page.objects.bulk_update(
            pages, ["latest_revision", "live_revision"], batch_size=BATCH * 2
        )
        PageLogEntry.objects.bulk_create(
            [
                PageLogEntry(
                    content_type=self.content_type,
                    page_id=page.pk,
                    revision_id=revision.pk if action == "wagtail.publish" else None,
                    action=action,
                    label=page.title_fr,
                    timestamp=page.first_published_at,
                    content_changed=True,
                    data={},
                )
                for page, revision in zip(pages, revisions, strict=True)
                for action in ("wagtail.create", "wagtail.publish")
            ],
            batch_size=BATCH * 2,
        )
        self.Page.objects.filter(pk=self.parent.pk).update(
            numchild=self.parent.numchild + len(pages)
        )
        self.parent.numchild += len(pages)
        for start in range(0, len(pages), BATCH):
            get_search_backend().add_bulk(self.model, pages[start : start + BATCH])
        for page in pages:
            ReferenceIndex.create_or_update_for_object(page)


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

    rng = random.Random(14)  # noqa: S311 (test data, not secrets)
    now = timezone.now().replace(microsecond=0)
    started = time.monotonic()
    with translation.override("fr"), transaction.atomic():
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

        # Trials ----------------------------------------------------------------
        writer = TreeWriter(TrialIndexPage.objects.get(), Trial, now)
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
        writer = TreeWriter(ContactIndexPage.objects.get(), PressContact, now)
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
            writer = TreeWriter(index_model.objects.get(), model, now)
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
    out.write(
        f"{PressRelease.objects.count()} releases, "
        f"{PartnerPosition.objects.count()} statements, "
        f"{Trial.objects.count()} trials, {PressContact.objects.count()} contacts "
        f"in {time.monotonic() - started:.0f} s\n"
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


if __name__ == "__main__":
    main()
