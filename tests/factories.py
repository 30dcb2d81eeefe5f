"""Builders for the newsroom's page tree, on top of the real site tree."""

import datetime

from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Site

import wagtail_factories
from factory import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from announcements.models import (
    ContactIndexPage,
    GlossaryTerm,
    LaySummary,
    Organisation,
    PartnerPosition,
    PositionIndexPage,
    PressContact,
    PressRelease,
    ReleaseIndexPage,
    Trial,
    TrialIndexPage,
)
from announcements.site_tree import ensure_site_tree
from press.models import Journalist


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name_fr = Sequence(lambda n: f"Organisation {n}")
    name_en = LazyAttribute(lambda o: o.name_fr)
    name = LazyAttribute(lambda o: o.name_fr)
    slug = Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.HOSPITAL


def first_newsroom():
    """The default site; built with the site tree when the test has none
    (it deleted the one the migrations made)."""
    if not Site.objects.filter(is_default_site=True).exists():
        ensure_site_tree()
    return Site.objects.get(is_default_site=True)


class JournalistFactory(DjangoModelFactory):
    """An approved journalist of the first newsroom (the default site) who
    reads every embargoed item, password "pw", whose address is proved."""

    class Meta:
        model = Journalist

    newsroom = LazyFunction(first_newsroom)
    name = Sequence(lambda n: f"Journaliste {n}")
    outlet = "Le Quotidien"
    email = Sequence(lambda n: f"journaliste{n}@quotidien.example")
    language = "fr"
    status = Journalist.Status.APPROVED
    all_embargoed = True
    email_confirmed_at = LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        journalist = model_class(*args, **kwargs)
        journalist.set_password("pw")
        journalist.save()
        return journalist


class BilingualPageFactory(wagtail_factories.PageFactory):
    class Meta:
        abstract = True

    title_fr = Sequence(lambda n: f"Titre {n}")
    title_en = Sequence(lambda n: f"Title {n}")
    title = LazyAttribute(lambda o: o.title_fr)
    slug_fr = Sequence(lambda n: f"titre-{n}")
    slug_en = Sequence(lambda n: f"title-{n}")
    slug = LazyAttribute(lambda o: o.slug_fr)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Publish through Wagtail, as an editor would: revisions, dates, signals.
        live = kwargs.pop("live", True)
        page = super()._create(model_class, *args, live=False, **kwargs)
        revision = page.save_revision()
        if live:
            revision.publish()
            page.refresh_from_db()
        return page


class TrialFactory(BilingualPageFactory):
    class Meta:
        model = Trial

    registry_id = Sequence(lambda n: f"NCT{n:08d}")
    full_name_fr = "Essai de démonstration"
    full_name_en = "Demonstration trial"
    phase = "2b"
    participants = 220
    centres = 17


class PressContactFactory(BilingualPageFactory):
    class Meta:
        model = PressContact

    organisation = SubFactory(OrganisationFactory)
    role_fr = "Attachée de presse"
    role_en = "Press officer"
    phone = "+33 4 66 68 33 04"
    email = "presse@example.org"


class PressReleaseFactory(BilingualPageFactory):
    class Meta:
        model = PressRelease

    organisation = SubFactory(OrganisationFactory)
    dateline_place_fr = "Nîmes"
    dateline_place_en = "Nîmes"
    dateline_date_fr = datetime.date(2025, 5, 12)
    dateline_date_en = datetime.date(2025, 5, 9)
    standfirst_fr = "Chapeau en français."
    standfirst_en = "Standfirst in English."
    body_fr = "<p>Corps du communiqué.</p>"
    body_en = "<p>Body of the release.</p>"
    requires_en = LazyAttribute(lambda o: bool(o.title_en and o.body_en))


class PartnerPositionFactory(BilingualPageFactory):
    class Meta:
        model = PartnerPosition

    organisation = SubFactory(OrganisationFactory)
    body_fr = "<p>Position du partenaire.</p>"
    body_en = "<p>The partner's position.</p>"
    requires_en = False
    # Dated by its source, the day it is built (``source_date=None``: undated).
    source_date = LazyFunction(timezone.localdate)


def index_of(home, model):
    return model.objects.child_of(home).get()


def build_trial(home, **kwargs):
    return TrialFactory(parent=index_of(home, TrialIndexPage), **kwargs)


def build_release(home, trial, **kwargs):
    return PressReleaseFactory(
        parent=index_of(home, ReleaseIndexPage), trial=trial, **kwargs
    )


def build_position(home, trial, **kwargs):
    return PartnerPositionFactory(
        parent=index_of(home, PositionIndexPage), trial=trial, **kwargs
    )


def build_contact(home, **kwargs):
    return PressContactFactory(parent=index_of(home, ContactIndexPage), **kwargs)


def url_in(page, language):
    """The page's path on the ``language`` site."""
    with translation.override(language):
        return page.get_url()


def feed_url(language, name="announcements", *args):
    """A feed's path on the ``language`` site (/fr/flux/…, /en/rss/…)."""
    with translation.override(language):
        return reverse(f"feeds:{name}", args=args)


def schedule(page, embargo):
    """Approve ``page``'s latest text for ``embargo``, as the last reviewer does."""
    page.go_live_at = embargo
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def build_summary(trial, live=True, **fields):
    """A lay summary under ``trial``, as an editor writes one (a draft, then
    published through Wagtail unless ``live`` is False)."""
    fields = {
        "title_fr": "Pour les patients",
        "title_en": "For patients",
        "slug_fr": "pour-les-patients",
        "slug_en": "for-patients",
        "results_fr": "Le médicament n’a pas allongé la vie de façon certaine.",
        "results_en": "The medicine did not clearly help people live longer.",
        "limits_fr": "Un essai plus grand est nécessaire.",
        "limits_en": "A larger trial is needed.",
        **fields,
    }
    summary = LaySummary(
        live=False, title=fields["title_fr"], slug=fields["slug_fr"], **fields
    )
    trial.add_child(instance=summary)
    revision = summary.save_revision()
    if live:
        revision.publish()
        summary.refresh_from_db()
    return summary


def placebo_term():
    """The glossary's entry for "placebo", in both languages."""
    return GlossaryTerm.objects.create(
        term_fr="placebo",
        term_en="placebo",
        definition_fr="Un produit sans médicament actif.",
        definition_en="A product with no active medicine.",
    )
