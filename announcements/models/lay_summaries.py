"""The trial explained to patients and families: a plain-language summary of
its results, in the sections Regulation (EU) No 536/2014 (Annex V) lists.

A lay summary is a page under its trial: it goes through the same review as a
result (medical, then communications review; its claims checked against the
trial's primary outcome), is scheduled like any release, and is read on its
own page, printable, and on the trial's page ("For patients and families").
Readability is measured for the editor (``announcements.readability``) and
the words the glossary explains are explained where the summary uses them.
"""

import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.models import PageManager
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .. import languages, readability
from ..forms import LaySummaryForm
from ..panels import ClaimsPanel, ReadabilityPanel, SentBackPanel
from ..review import ReviewedPage
from .base import NewsroomPage, NewsroomPageQuerySet, plain_text
from .bilingual import BilingualPage
from .claims import ClaimsCheckedPage
from .institution import Institution

# Annex V's sections, in its order: (field, heading). ``results`` and
# ``limits`` are required before review and publication.
SECTIONS = (
    ("trial_and_sponsor", _("Which trial, and who sponsored it")),
    ("where_and_when", _("Where and when it took place")),
    ("why", _("Why it was done")),
    ("participants", _("Who took part")),
    ("treatments", _("Which treatments were compared")),
    ("side_effects", _("Side effects")),
    ("results", _("The overall results")),
    ("limits", _("What the results mean, and their limits")),
    ("follow_up", _("Whether more trials follow")),
    ("more_information", _("Where to find more")),
)
SECTION_NAMES = tuple(name for name, _heading in SECTIONS)
REQUIRED_SECTIONS = ("results", "limits")


def _section(name, heading):
    return models.TextField(heading, blank=True)


class GlossaryTerm(index.Indexed, models.Model):
    """A word a lay summary may use, defined once in both languages, and
    explained wherever a summary uses it."""

    term = models.CharField(_("term"), max_length=100)
    definition = models.TextField(_("definition"))

    panels = [FieldPanel("term"), FieldPanel("definition")]
    search_fields = [
        index.SearchField("term_fr"),
        index.SearchField("term_en"),
        index.AutocompleteField("term_fr"),
        index.AutocompleteField("term_en"),
    ]

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")
        ordering = ["term"]

    def __str__(self):
        return self.term

    def pattern(self, language):
        """The term as a whole word (or words) in text of ``language``, any
        case; None when it has no text in that language."""
        term = getattr(self, f"term_{language}", "") or ""
        if not term.strip():
            return None
        return re.compile(rf"(?<!\w){re.escape(term.strip())}(?!\w)", re.IGNORECASE)


register_snippet(GlossaryTerm)


def not_a_hidden_trials_summary():
    """A filter on pages: not a lay summary whose trial is not live. A
    summary names its trial: it is read only while the trial is public
    (approved before the trial's embargo is lifted, or left live when the
    trial is unpublished). Its trial is its parent page, so its address
    leads nowhere either (``NewsroomPage.route``)."""
    return Q(laysummary__isnull=True) | Q(laysummary__trial__live=True)


class LaySummaryQuerySet(NewsroomPageQuerySet):
    def published(self):
        """As every page's, and while its trial is live."""
        return super().published().filter(trial__live=True)


class LaySummary(ClaimsCheckedPage, ReviewedPage, BilingualPage, NewsroomPage):
    """A trial's results explained to patients and families."""

    objects = PageManager.from_queryset(LaySummaryQuerySet)()

    trial = models.ForeignKey(
        "announcements.Trial",
        verbose_name=_("trial"),
        # Its parent page: deleted with it (Wagtail deletes the subtree).
        on_delete=models.SET_NULL,
        null=True,
        related_name="lay_summaries",
        editable=False,
    )
    trial_and_sponsor = _section(*SECTIONS[0])
    where_and_when = _section(*SECTIONS[1])
    why = _section(*SECTIONS[2])
    participants = _section(*SECTIONS[3])
    treatments = _section(*SECTIONS[4])
    side_effects = _section(*SECTIONS[5])
    results = _section(*SECTIONS[6])
    limits = _section(*SECTIONS[7])
    follow_up = _section(*SECTIONS[8])
    more_information = _section(*SECTIONS[9])

    # A summary's text is all sections; it is "written" in a language when
    # its result and limits are.
    content_fields = ("title", *REQUIRED_SECTIONS)
    claims_fields = ("title", *SECTION_NAMES)
    note_answers_claims = False
    base_form_class = LaySummaryForm
    parent_page_types = ["announcements.Trial"]
    subpage_types = []
    max_count_per_parent = 1
    og_type = "article"
    template = "announcements/lay_summary.html"
    card_template = "includes/lay_summary_search_card.html"
    search_fields = [
        *NewsroomPage.search_fields,
        *(
            index.SearchField(f"{name}_{code}")
            for name in SECTION_NAMES
            for code in languages.CODES
        ),
    ]
    content_panels = [
        SentBackPanel(),
        ReadabilityPanel(heading=_("Readability")),
        ClaimsPanel(),
        TitleFieldPanel("title"),
        *(
            MultiFieldPanel(
                [
                    FieldPanel(
                        f"{name}_{code}",
                        widget=forms.Textarea(attrs={"data-lay-section": ""}),
                    )
                    for code in languages.CODES
                ],
                heading=heading,
            )
            for name, heading in SECTIONS
        ),
    ]

    class Meta:
        verbose_name = _("lay summary")
        verbose_name_plural = _("lay summaries")

    def save(self, *args, **kwargs):
        # Its trial is its parent (a move keeps it so: ``signal_handlers``).
        if self.trial_id is None and self.depth:
            parent = self.get_parent()
            if parent is not None:
                self.trial_id = parent.pk
        super().save(*args, **kwargs)

    # Publication rule -------------------------------------------------------

    def missing_sections(self, value_of=None):
        """``[(field_name, language)]`` of the required sections still empty:
        in French always, in English once any English section is written."""
        value_of = value_of or (lambda name: getattr(self, name, ""))
        missing = []
        for code in languages.CODES:
            written = any(
                (value_of(f"{name}_{code}") or "").strip() for name in SECTION_NAMES
            )
            if code != languages.DEFAULT and not written:
                continue
            missing += [
                (f"{name}_{code}", code)
                for name in REQUIRED_SECTIONS
                if not (value_of(f"{name}_{code}") or "").strip()
            ]
        return missing

    def publish(self, revision, *args, user=None, **kwargs):
        """Never without its results and their limits, whichever way it is
        published; the claims rule is ``ClaimsCheckedPage.publish``'s."""
        if revision.as_object().missing_sections():
            raise PermissionDenied(
                _(
                    "A lay summary needs its results and their limits before it "
                    "is published: not published."
                )
            )
        return super().publish(revision, *args, user=user, **kwargs)

    # Reading ----------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        language = translation.get_language()
        linked = set()
        context["sections"] = [
            (name, heading, self.explained(text, language, linked))
            for name, heading, text, _code in self.sections(language)
        ]
        context["terms"] = self.terms_used(language)
        context["trial"] = self.trial
        context["reading_language"] = self.content_language(language)
        return context

    def sections(self, language):
        """``[(field, heading, text, language it is in)]`` of the written
        sections, as a reader of ``language`` gets them."""
        code = self.content_language(language)
        found = []
        for name, heading in SECTIONS:
            text = (getattr(self, f"{name}_{code}", "") or "").strip()
            if text:
                found.append((name, heading, text, code))
        return found

    def key_sections(self, language):
        """The results and their limits, as the trial's page shows them."""
        return [
            (heading, text)
            for name, heading, text, _code in self.sections(language)
            if name in REQUIRED_SECTIONS
        ]

    @cached_property
    def glossary(self):
        return list(GlossaryTerm.objects.all())

    def terms_used(self, language):
        """The glossary terms the summary uses, in the order they come (a
        term once, by its first use)."""
        code = self.content_language(language)
        text = " ".join(text for _n, _h, text, _c in self.sections(language))
        found = []
        for term in self.glossary:
            pattern = term.pattern(code)
            match = pattern and pattern.search(text)
            if match:
                found.append((match.start(), term))
        return [term for _start, term in sorted(found, key=lambda item: item[0])]

    def explained(self, text, language, linked=None):
        """``text`` as HTML paragraphs, a glossary term's first use (in
        ``linked``'s page: the set of terms already linked) a link to its
        definition below: no hover-only text."""
        code = self.content_language(language)
        linked = set() if linked is None else linked
        terms = self.terms_used(language)
        paragraphs = []
        for paragraph in re.split(r"\n\s*\n", text):
            pieces = [paragraph]
            for term in terms:
                if term.pk not in linked:
                    pieces, found = _link_first(pieces, term, term.pattern(code))
                    if found:
                        linked.add(term.pk)
            paragraphs.append(
                format_html_join("", "{}", ((piece,) for piece in pieces))
            )
        return format_html_join("\n", "<p>{}</p>", ((p,) for p in paragraphs))

    def text_in_language(self, code):
        """Every section written in ``code``, as one plain text."""
        texts = (
            (getattr(self, f"{name}_{code}", "") or "").strip()
            for name in SECTION_NAMES
        )
        return "\n".join(text for text in texts if text)

    def readability(self, request=None):
        """``[Readability]`` of each language the summary is written in,
        against the target of the institution (the request's site's)."""
        institution = Institution.for_request_or_none(request)
        target = institution.lay_reading_target if institution else None
        found = []
        for code in languages.CODES:
            measured = readability.measure(
                self.text_in_language(code), code, self.glossary, target
            )
            if measured is not None:
                found.append(measured)
        return found

    def as_schema(self, request, language):
        """The summary in the trial's JSON-LD: a page about the trial written
        for patients (``audience``), its results as its abstract."""
        code = self.content_language(language)
        with translation.override(code):
            url = request.build_absolute_uri(self.get_url(request=request))
        return {
            "@type": "MedicalWebPage",
            "name": getattr(self, f"title_{code}", "") or self.title,
            "url": url,
            "inLanguage": code,
            "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
            "abstract": getattr(self, f"results_{code}", ""),
            "dateModified": self.last_published_at
            and self.last_published_at.isoformat(),
        }

    def excerpt_passages(self, language):
        code = self.content_language(language)
        return [(self.text_in_language(code), code)]

    def meta_description(self, language):
        code = self.content_language(language)
        return super().meta_description(language) or plain_text(
            getattr(self, f"results_{code}", "") or ""
        )


def _link_first(pieces, term, pattern):
    """``pieces`` (text, or HTML already made) with the first match of
    ``pattern`` in a text piece made a link to ``term``'s definition."""
    for position, piece in enumerate(pieces):
        if not isinstance(piece, str) or hasattr(piece, "__html__"):
            continue
        match = pattern.search(piece)
        if match is None:
            continue
        link = format_html(
            '<a class="glossary-term" href="#terme-{}">{}</a>', term.pk, match.group()
        )
        return (
            [
                *pieces[:position],
                piece[: match.start()],
                link,
                piece[match.end() :],
                *pieces[position + 1 :],
            ],
            True,
        )
    return pieces, False
