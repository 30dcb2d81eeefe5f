from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, When
from django.http import Http404
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    TitleFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager, Site
from wagtail.search import index

from .. import languages
from ..listing import DIRECTORY_PAGE_SIZE, paginate
from ..panels import RegistryPanel, SentBackPanel
from ..review import ReviewedIndexPage, ReviewedPage
from ..validators import validate_doi, validate_registry_id
from .announcement import AnnouncementPage, statements_about
from .base import (
    RICH_TEXT_FEATURES,
    IndexPage,
    NewsroomPage,
    NewsroomPageQuerySet,
    plain_text,
    with_slug,
)
from .bilingual import BilingualPage
from .lay_summaries import LaySummary
from .registry import months_in


@dataclass
class Comparison:
    """One fact as registered and as published, for the trial page."""

    key: str
    label: str
    registered: str
    published: str
    differs: bool
    difference: str = ""


MASKING_LABELS = {
    "open": _("open label"),
    "single": _("single-blind"),
    "double": _("double-blind"),
    "triple": _("triple-blind"),
    "quadruple": _("quadruple-blind"),
}


def _phase_label(phase):
    return str(
        dict(Trial.Phase.choices).get(phase, _("Phase %(phase)s") % {"phase": phase})
    )


class TrialQuerySet(NewsroomPageQuerySet):
    def shown_in(self, site):
        """The trials a newsroom shows: those it keeps, and those its public
        releases and statements are about. A trial is one record in the
        install, kept by one newsroom (the one whose tree holds it); every
        newsroom that publishes about it shows it at its own address
        (``TrialIndexPage.route``)."""
        root = site.root_page
        about = Q()
        for kind in AnnouncementPage.page_types():
            about |= Exists(
                kind.objects.published().in_site(site).filter(trial=OuterRef("pk"))
            )
        return self.filter(Q(path__startswith=root.path) | about)


class TrialIndexPage(ReviewedIndexPage, IndexPage):
    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    subpage_types = ["announcements.Trial"]
    default_description = _(
        "The clinical trials of the newsroom, with everything published about each."
    )

    class Meta:
        verbose_name = _("trial index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        site = Site.find_for_request(request) or self.get_site()
        context["trials"] = paginate(
            request,
            Trial.objects.published()
            .shown_in(site)
            .select_related("sponsor")
            .order_by("path"),
            per_page=DIRECTORY_PAGE_SIZE,
        )
        return context

    def route(self, request, path_components):
        """A trial this newsroom keeps, as Wagtail finds it; else a trial
        another newsroom keeps and this one publishes about, at this index's
        address: the same record, in this newsroom's header. One query."""
        if not path_components:
            return super().route(request, path_components)
        slug, remaining = path_components[0], path_components[1:]
        language = translation.get_language() or languages.DEFAULT
        mine = Q(path__startswith=self.path, depth=self.depth + 1)
        site = Site.find_for_request(request)
        shared = (
            Q(pk__in=Trial.objects.published().shown_in(site).values("pk"))
            if site is not None and self.live
            else Q(pk__in=[])
        )
        found = (
            Trial.objects.filter(with_slug(language, slug))
            .filter(mine | shared)
            .order_by(Case(When(mine, then=0), default=1), "path")
            .first()
        )
        if found is None:
            raise Http404
        result = found.route(request, remaining)
        if not found.path.startswith(self.path):
            # Read here: its language links stay here (``language_links``).
            result.page.shown_in_index = self
            result.page.shown_path = [found, result.page][: 1 + bool(remaining)]
        return result


class Trial(ReviewedPage, BilingualPage, NewsroomPage):
    """One clinical trial: everything published about it points here."""

    objects = PageManager.from_queryset(TrialQuerySet)()

    class Phase(models.TextChoices):
        PHASE_1 = "1", _("Phase 1")
        PHASE_1_2 = "1/2", _("Phase 1/2")
        PHASE_2 = "2", _("Phase 2")
        PHASE_2A = "2a", _("Phase 2a")
        PHASE_2B = "2b", _("Phase 2b")
        PHASE_2_3 = "2/3", _("Phase 2/3")
        PHASE_3 = "3", _("Phase 3")
        PHASE_4 = "4", _("Phase 4")

    class Status(models.TextChoices):
        """schema.org's MedicalStudyStatus, whose names are the stored values."""

        NOT_YET_RECRUITING = "NotYetRecruiting", _("Not yet recruiting")
        RECRUITING = "Recruiting", _("Recruiting")
        ENROLLING_BY_INVITATION = "EnrollingByInvitation", _("Enrolling by invitation")
        ACTIVE_NOT_RECRUITING = "ActiveNotRecruiting", _("Active, not recruiting")
        SUSPENDED = "Suspended", _("Suspended")
        TERMINATED = "Terminated", _("Terminated")
        WITHDRAWN = "Withdrawn", _("Withdrawn")
        COMPLETED = "Completed", _("Completed")
        RESULTS_AVAILABLE = "ResultsAvailable", _("Results available")

    class Masking(models.TextChoices):
        OPEN = "open", _("open label")
        SINGLE = "single", _("single-blind")
        DOUBLE = "double", _("double-blind")
        TRIPLE = "triple", _("triple-blind")

    class OutcomeResult(models.TextChoices):
        """Whether the primary outcome was met, as the published paper says."""

        MET = "met", _("met")
        NOT_MET = "not_met", _("not met")
        MIXED = "mixed", _("mixed")
        NOT_REPORTED = "not_reported", _("not yet reported")

    # Named so that Page's reverse accessor does not clash with the
    # ``trial`` field of releases and statements.
    page_ptr = models.OneToOneField(
        Page,
        parent_link=True,
        on_delete=models.CASCADE,
        related_name="trial_page",
    )
    full_name = models.CharField(_("full name"), max_length=255, blank=True)
    registry_id = models.CharField(
        _("registry ID"),
        max_length=32,
        unique=True,
        validators=[validate_registry_id],
        help_text=_("ClinicalTrials.gov number, e.g. NCT03039673."),
    )
    phase = models.CharField(
        _("phase"), max_length=8, choices=Phase.choices, blank=True
    )
    condition = models.CharField(
        _("health condition"),
        max_length=255,
        blank=True,
        help_text=_("The disease studied, e.g. amyotrophic lateral sclerosis (ALS)."),
    )
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, blank=True
    )
    randomised = models.BooleanField(_("randomised"), default=False)
    masking = models.CharField(
        _("masking"), max_length=8, choices=Masking.choices, blank=True
    )
    placebo_controlled = models.BooleanField(_("placebo-controlled"), default=False)
    international = models.BooleanField(
        _("international"),
        default=False,
        help_text=_("Run in more than one country."),
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    centres = models.PositiveIntegerField(_("centres"), null=True, blank=True)
    countries = models.CharField(_("countries"), max_length=255, blank=True)
    sponsor = models.ForeignKey(
        "announcements.Organisation",
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_trials",
    )
    primary_endpoint = models.TextField(_("primary endpoint"), blank=True)
    primary_endpoint_months = models.PositiveSmallIntegerField(
        _("primary endpoint time frame (months)"),
        null=True,
        blank=True,
        help_text=_(
            "As the publication states it, e.g. 21 for survival at 21 months; "
            "compared with the registered time frame."
        ),
    )
    primary_endpoint_result = models.TextField(_("primary endpoint result"), blank=True)
    primary_outcome_result = models.CharField(
        _("primary outcome result"),
        max_length=16,
        choices=OutcomeResult.choices,
        default=OutcomeResult.NOT_REPORTED,
        help_text=_(
            "Whether the primary outcome was met, as the published paper "
            "(Publication, below) reports it. Shown to readers above what each "
            "organisation said, and to medical reviewers beside every claim."
        ),
    )
    summary = RichTextField(_("summary"), features=RICH_TEXT_FEATURES, blank=True)
    journal = models.CharField(_("journal"), max_length=255, blank=True)
    article_title = models.CharField(_("article title"), max_length=500, blank=True)
    doi = models.CharField(
        _("DOI"), max_length=255, blank=True, validators=[validate_doi]
    )
    publication_date = models.DateField(_("publication date"), null=True, blank=True)

    content_fields = ("title",)
    card_template = "includes/trial_card.html"
    title_label = _("Acronym")
    title_help_text = _("The trial's short name, e.g. “MIROCALS”.")

    content_panels = [
        SentBackPanel(),
        TitleFieldPanel("title"),
        MultiFieldPanel([RegistryPanel()], heading=_("Registry")),
        FieldPanel("full_name"),
        FieldRowPanel(
            [FieldPanel("registry_id"), FieldPanel("phase"), FieldPanel("status")],
        ),
        FieldPanel("condition"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("randomised"), FieldPanel("masking")]),
                FieldRowPanel(
                    [FieldPanel("placebo_controlled"), FieldPanel("international")]
                ),
            ],
            heading=_("Design"),
        ),
        FieldRowPanel(
            [FieldPanel("participants"), FieldPanel("centres")],
        ),
        FieldPanel("countries"),
        FieldPanel("sponsor"),
        FieldRowPanel(
            [FieldPanel("primary_endpoint"), FieldPanel("primary_endpoint_months")]
        ),
        FieldPanel("primary_outcome_result"),
        FieldPanel("primary_endpoint_result"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("journal"),
                FieldPanel("article_title"),
                FieldPanel("doi"),
                FieldPanel("publication_date"),
            ],
            heading=_("Publication"),
        ),
    ]
    search_fields = [
        *NewsroomPage.search_fields,
        index.SearchField("full_name_fr"),
        index.SearchField("full_name_en"),
        index.SearchField("registry_id"),
        index.SearchField("condition_fr"),
        index.SearchField("condition_en"),
        index.SearchField("primary_endpoint_result_fr"),
        index.SearchField("primary_endpoint_result_en"),
        index.SearchField("summary_fr"),
        index.SearchField("summary_en"),
    ]
    parent_page_types = ["announcements.TrialIndexPage"]
    route_related = ("sponsor",)
    statements_per_page = 20
    subpage_types = ["announcements.LaySummary"]

    class Meta:
        verbose_name = _("trial")
        verbose_name_plural = _("trials")

    def statements(self, exclude=None):
        """Live releases and partner statements about this trial, newest first."""
        return statements_about(self, exclude=exclude)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["statements"] = paginate(
            request, self.statements(), per_page=self.statements_per_page
        )
        context["registry"] = self.registry_snapshot
        context["comparison"] = self.registered_vs_published()
        summary = self.public_lay_summary
        context["lay_summary"] = summary
        context["lay_summary_sections"] = (
            summary.key_sections(translation.get_language()) if summary else []
        )
        return context

    @cached_property
    def public_lay_summary(self):
        """The trial explained to patients, once public; else None. Read
        from ``with_public_lay_summary``'s prefetch when a list made one."""
        if "published_lay_summaries" in self.__dict__:
            found = self.published_lay_summaries
        else:
            found = LaySummary.objects.child_of(self).published()[:1]
        return found[0] if found else None

    # Registered vs published ------------------------------------------------

    @cached_property
    def registry_snapshot(self):
        """The newest registry snapshot, or None before any import."""
        return (
            self.registry_snapshots.filter(registry_id=self.registry_id)
            .newest_first()
            .first()
        )

    def endpoint_months(self):
        """The published primary endpoint's time frame in months."""
        return self.primary_endpoint_months or months_in(
            self.text_in("primary_endpoint", "en")
        )

    def pending_outcome_result(self):
        """The primary outcome result a change in review would record, when
        it differs from the published one; else None (a draft nobody
        submitted says nothing yet)."""
        if not self.workflow_in_progress:
            return None
        latest = self.get_latest_revision()
        value = latest.content.get("primary_outcome_result") if latest else None
        return value if value and value != self.primary_outcome_result else None

    def outcome_not_met(self):
        """Was the primary outcome not met, as the record says or as the
        change to it waiting for review says? Either is enough."""
        not_met = self.OutcomeResult.NOT_MET
        return not_met in (self.primary_outcome_result, self.pending_outcome_result())

    def get_pending_outcome_result_display(self):
        value = self.pending_outcome_result()
        return self.OutcomeResult(value).label if value else None

    def endpoint_with_time_frame(self):
        """The published primary endpoint with its time frame, unless its
        text says it already: "la survie (21 mois)", "survival at 21 months"."""
        published = self.primary_endpoint
        months = self.endpoint_months()
        if not published or not months or str(months) in published:
            return published
        return ngettext(
            "%(endpoint)s (%(months)s month)",
            "%(endpoint)s (%(months)s months)",
            months,
        ) % {"endpoint": published, "months": months}

    def registered_vs_published(self):
        """Each fact both the registry and the publication state, in the
        active language, with its difference said plainly; [] before any
        import. The registry's own words (English) stay as written."""
        snapshot = self.registry_snapshot
        if snapshot is None:
            return []
        rows = []
        if snapshot.phase and self.phase:
            rows.append(
                Comparison(
                    "phase",
                    _("Phase"),
                    _phase_label(snapshot.phase),
                    self.get_phase_display(),
                    snapshot.phase != self.phase,
                )
            )
        if snapshot.enrolment and self.participants:
            rows.append(
                Comparison(
                    "participants",
                    _("Participants"),
                    (
                        _("%(count)s enrolled (anticipated)")
                        if snapshot.enrolment_type == "ESTIMATED"
                        else _("%(count)s enrolled")
                    )
                    % {"count": snapshot.enrolment},
                    (_("%(count)s randomised") if self.randomised else "%(count)s")
                    % {"count": self.participants},
                    snapshot.enrolment != self.participants,
                )
            )
        outcomes = snapshot.primary_outcomes
        published = self.endpoint_with_time_frame()
        if outcomes and published:
            registered_months = snapshot.primary_outcome_months()
            published_months = self.endpoint_months()
            differs = bool(
                registered_months
                and published_months
                and registered_months != published_months
            )
            rows.append(
                Comparison(
                    "primary_outcome",
                    _("Primary outcome"),
                    "; ".join(
                        f"{o['measure']} ({o['time_frame']})"
                        if o["time_frame"]
                        else o["measure"]
                        for o in outcomes
                    ),
                    published,
                    differs,
                    _(
                        "registered at %(registered)s months, published at "
                        "%(published)s months"
                    )
                    % {"registered": registered_months, "published": published_months}
                    if differs
                    else "",
                )
            )
        if snapshot.masking and self.masking:
            rows.append(
                Comparison(
                    "masking",
                    _("Masking"),
                    str(MASKING_LABELS.get(snapshot.masking, snapshot.masking)),
                    self.get_masking_display(),
                    # Registries count the masked roles (MIROCALS: "triple"),
                    # papers say "double-blind" of the same design: only open
                    # against blinded is a difference.
                    (snapshot.masking == "open") != (self.masking == "open"),
                )
            )
        if snapshot.status and self.status:
            # A completed study whose results are out says the same thing.
            same = snapshot.status == self.status or (
                snapshot.status,
                self.status,
            ) == (self.Status.COMPLETED, self.Status.RESULTS_AVAILABLE)
            rows.append(
                Comparison(
                    "status",
                    _("Status"),
                    str(
                        dict(self.Status.choices).get(snapshot.status, snapshot.status)
                    ),
                    self.get_status_display(),
                    not same,
                )
            )
        return rows

    @property
    def registry_url(self):
        return f"https://clinicaltrials.gov/study/{self.registry_id}"

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    _DESIGN_TERMS = {
        Masking.OPEN: "OpenTrial",
        Masking.SINGLE: "SingleBlindedTrial",
        Masking.DOUBLE: "DoubleBlindedTrial",
        Masking.TRIPLE: "TripleBlindedTrial",
    }

    def design(self):
        """The design as ``(label, schema.org MedicalTrialDesign)`` pairs, in
        the order a methods section says it."""
        terms = []
        if self.randomised:
            terms.append((_("randomised"), "RandomizedTrial"))
        if self.masking:
            terms.append((self.get_masking_display(), self._DESIGN_TERMS[self.masking]))
        if self.placebo_controlled:
            terms.append((_("placebo-controlled"), "PlaceboControlledTrial"))
        if self.centres == 1:
            terms.append((_("single-centre"), "SingleCenterTrial"))
        elif self.centres and self.centres > 1:
            terms.append((_("multicentre"), "MultiCenterTrial"))
        if self.international:
            terms.append((_("international"), "InternationalTrial"))
        return terms

    def design_text(self):
        """ "Randomised, double-blind, …" in the active language."""
        text = ", ".join(str(label) for label, _term in self.design())
        return text[:1].upper() + text[1:]

    def excerpt_text(self, language):
        # A paragraph each, so that one ends before the next begins.
        facts = format_html_join(
            "",
            "<p>{}</p>",
            (
                (self.text_in(name, language),)
                for name in ("full_name", "condition", "primary_endpoint_result")
            ),
        )
        return plain_text(
            facts + (self.text_in("summary", language) or ""), length=None
        )

    def meta_description(self, language):
        # Written for this language, else the facts said in this language:
        # never the other language's text.
        written = super().meta_description(language) or plain_text(
            getattr(self, f"summary_{language}", "")
        )
        if written:
            return written
        full_name = getattr(self, f"full_name_{language}", "")
        with translation.override(language):
            facts = _("Clinical trial %(acronym)s, %(registry_id)s.") % {
                "acronym": self.title,
                "registry_id": self.registry_id,
            }
        return f"{full_name}. {facts}" if full_name else facts

    def as_schema_reference(self):
        """The trial as the subject of an article."""
        return {
            "@type": "MedicalTrial",
            "name": self.title,
            "identifier": self.registry_id,
        }

    def schema_identifiers(self):
        """The registry numbers, as schema.org PropertyValues: ClinicalTrials.gov
        always (alone, a single value), with EudraCT once imported from the
        registry (then a list)."""
        identifiers = [
            {
                "@type": "PropertyValue",
                "propertyID": "ClinicalTrials.gov",
                "value": self.registry_id,
                "url": self.registry_url,
            }
        ]
        snapshot = self.registry_snapshot
        if snapshot is not None and snapshot.eudract_number:
            identifiers.append(
                {
                    "@type": "PropertyValue",
                    "propertyID": "EudraCT",
                    "value": snapshot.eudract_number,
                }
            )
        return identifiers if len(identifiers) > 1 else identifiers[0]

    def structured_data(self, request, language):
        """MedicalTrial in current schema.org terms (``phase`` was retired:
        the phase is said in the description of the design, on the page)."""
        data = {
            "@context": "https://schema.org",
            "@type": "MedicalTrial",
            "name": self.text_in("full_name", language) or self.title,
            "alternateName": self.title,
            "identifier": self.schema_identifiers(),
            "url": self.canonical_url(request, language),
            "sameAs": self.registry_url,
            "description": self.meta_description(language),
        }
        if self.sponsor_id:
            data["sponsor"] = self.sponsor.as_schema(language)
        condition = self.text_in("condition", language)
        if condition:
            data["healthCondition"] = {"@type": "MedicalCondition", "name": condition}
        if self.status:
            data["status"] = f"https://schema.org/{self.status}"
        design = [f"https://schema.org/{term}" for _label, term in self.design()]
        if design:
            data["trialDesign"] = design
        countries = self.text_in("countries", language)
        if countries:
            data["studyLocation"] = {"@type": "AdministrativeArea", "name": countries}
        snapshot = self.registry_snapshot
        if snapshot is not None:
            # What the registry says, in current terms: the drugs studied, and
            # the registry record as a dataset measuring the primary outcomes.
            drugs = [
                {"@type": "Drug", "name": item["name"]}
                for item in snapshot.facts.get("interventions") or []
                if item.get("type") == "DRUG" and item.get("name")
            ]
            if drugs:
                data["studySubject"] = drugs
            data["subjectOf"] = [snapshot.as_schema_dataset()]
        if self.journal or self.doi:
            # The results' publication: ``citation`` belongs to creative
            # works, which a MedicalTrial is not; ``subjectOf`` is any
            # thing's.
            article = {"@type": "ScholarlyArticle"}
            if self.article_title:
                article["headline"] = self.article_title
            if self.journal:
                article["isPartOf"] = {"@type": "Periodical", "name": self.journal}
            if self.doi:
                article["sameAs"] = self.doi_url
            if self.publication_date:
                article["datePublished"] = self.publication_date.isoformat()
            data["subjectOf"] = [*data.get("subjectOf", []), article]
        summary = self.public_lay_summary
        if summary is not None:
            data["subjectOf"] = [
                *data.get("subjectOf", []),
                summary.as_schema(request, language),
            ]
        return {key: value for key, value in data.items() if value}
