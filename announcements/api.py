"""The read API: Wagtail's API v2 at ``/api/v2/``, read-only, per language.

Releases, statements, trials and press contacts are what the public sees on
the site (``published()``: live, outside any privacy setting, in their live
version: never a draft, a revision or an embargoed item), and organisations
are those a public item names. Each endpoint declares the fields readers see
on the page, in the language asked for (``?locale=fr|en``, else the address's
prefix, ``/en/api/v2/…``, else French); a text shown in the other language
says so (``meta.language``). An address outside the prefixes that finds
nothing is redirected by Django's ``LocaleMiddleware`` to the prefixed one, as
on the rest of the site, where the API answers 404. The fields an endpoint
declares are all ``?fields=`` can reach: a model's other fields and its
revisions are not there, whatever the models declare.

It is public and read-only, so any site may read it from a browser (CORS,
``newsroom.settings``), and clients revalidate: every answer has an ``ETag``
(``ConditionalGetMiddleware``) and a minute's public lifetime, and no answer
depends on a cookie (no authentication is read). ``?order=`` takes what an
index serves (the reader's date, in the reader's language; the first
publication); ``?search=`` finds what the site's search finds, the best first.
"""

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from wagtail.api import APIField
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import BaseSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from rest_framework.fields import Field

from . import content_version, images, languages, search
from .models import (
    Institution,
    LaySummary,
    Organisation,
    PartnerPosition,
    PressContact,
    PressRelease,
    Trial,
)
from .models.announcement import listed_at
from .reader_input import query_param, search_words

LEAD_IMAGE = "width-1200"
# How long any cache may keep an answer: a lift shows within a minute.
MAX_AGE = 60
# Far beyond any list, well within what databases take as an OFFSET.
MAX_OFFSET = 10**9


class Shown(Field):
    """A value as the reader of the request's language sees it on the site:
    ``read(item, context)``."""

    def __init__(self, read, **kwargs):
        self.read = read
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        return self.read(instance, self.context)


def shown(name, read):
    return APIField(name, serializer=Shown(read))


def language():
    return translation.get_language() or languages.DEFAULT


def absolute(context, url):
    return context["request"].build_absolute_uri(url) if url else None


def detail_url(context, model, pk):
    """The item's API address on the host the request came to."""
    return absolute(context, context["router"].get_object_detail_urlpath(model, pk))


def page_url(page, context):
    return absolute(context, page.get_url(request=context["request"]))


def text(page, field):
    """A translated field as the page shows it to the reader (its own
    fallback rule, ``NewsroomPage.text_in``)."""
    return page.text_in(field, language())


def rich_text(html):
    return expand_db_html(html) if html else ""


def iso(value):
    return value.isoformat() if value else None


def organisation_summary(organisation, context):
    if organisation is None:
        return None
    return {
        "id": organisation.pk,
        "name": organisation.name_in(language()),
        "detail_url": detail_url(context, Organisation, organisation.pk),
    }


def trial_summary(announcement, context):
    trial = announcement.public_trial
    if trial is None:
        return None
    return {
        "id": trial.pk,
        "title": trial.title,
        "registry_id": trial.registry_id,
        "detail_url": detail_url(context, Trial, trial.pk),
    }


def contacts_summary(announcement, context):
    ids = [link.contact_id for link in announcement.contact_links.all()]
    contacts = PressContact.objects.published().in_bulk(ids)
    return [
        {
            "id": contacts[pk].pk,
            "name": text(contacts[pk], "title"),
            "detail_url": detail_url(context, PressContact, pk),
        }
        for pk in ids
        if pk in contacts
    ]


def lead_image(release, context):
    if release.lead_image is None:
        return None
    rendition = release.lead_image.get_rendition(LEAD_IMAGE)
    content = release.content_language(language())
    figure = {
        "url": images.absolute_url(rendition, context["request"]),
        "width": rendition.width,
        "height": rendition.height,
    }
    for part in ("alt", "caption", "credit"):
        figure[part] = release.lead_image_text(part, content)[0]
    return figure


def attachments(release, context):
    return [
        {
            "title": attachment.document.title,
            "url": absolute(context, attachment.document.url),
            "file_extension": attachment.document.file_extension,
        }
        for attachment in release.attachments.select_related("document")
    ]


class _CountedOnce:
    """A queryset whose length is counted once per public change."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self):
        return content_version.count(self.queryset)

    def __getitem__(self, index):
        return self.queryset[index]


class ReaderPagination(WagtailPagination):
    """Wagtail's ``limit``/``offset``, with an offset the database can take
    (a clear 400 beyond it), and a listing's total counted once per public
    change."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "")
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        if "search" in request.GET:
            # At most ``search.SEARCH_LIMIT`` rows: counted as they come.
            return super().paginate_queryset(queryset, request, view)
        return super().paginate_queryset(_CountedOnce(queryset), request, view)


def in_language_asked(request, view, *args, **kwargs):
    """``view``'s answer in the language asked for: ``?locale=``, else the
    address's prefix, else French (never the browser's language: an address
    always gives the same answer)."""
    prefix = request.path.split("/")[1]
    code = request.GET.get("locale") or (
        prefix if prefix in languages.CODES else languages.DEFAULT
    )
    if code not in languages.CODES:
        return JsonResponse(
            {"message": f"locale must be one of: {', '.join(languages.CODES)}"},
            status=400,
        )
    with translation.override(code):
        return view(request, *args, **kwargs)


class ReaderAPIViewSet(BaseAPIViewSet):
    """An endpoint of what readers see: listing and detail, nothing else."""

    base_serializer_class = BaseSerializer
    pagination_class = ReaderPagination
    filter_backends = []
    # The same answer for everyone: no session or user is read (which would
    # make answers vary on the cookie).
    authentication_classes = []
    permission_classes = []
    known_query_parameters = frozenset(["limit", "offset", "fields", "locale"])
    # ``?order=`` values: {value: ordering}, per endpoint.
    orderings = {}
    searchable = False
    meta_fields = ["type"]
    # The fields readers see, beyond ``id``: (name, read) pairs.
    shown_fields = []
    shown_meta_fields = [
        ("detail_url", lambda item, context: detail_url(context, type(item), item.pk))
    ]

    @classmethod
    def get_urlpatterns(cls):
        return [
            path("", cls.as_view({"get": "listing_view"}), name="listing"),
            path("<int:pk>/", cls.as_view({"get": "detail_view"}), name="detail"),
        ]

    @classmethod
    def get_body_fields(cls, model):
        return cls._convert_api_fields(
            [*cls.body_fields, *(shown(*field) for field in cls.shown_fields)]
        )

    @classmethod
    def get_meta_fields(cls, model):
        return cls._convert_api_fields(
            [*cls.meta_fields, *(shown(*field) for field in cls.shown_meta_fields)]
        )

    def check_query_parameters(self, queryset):
        """Only the parameters this API knows: no filtering on model fields."""
        known = set(self.known_query_parameters)
        if self.orderings:
            known.add("order")
        if self.searchable:
            known.add("search")
        unknown = set(self.request.GET) - known
        if unknown:
            raise BadRequestError(
                f"query parameter is not an operation: {', '.join(sorted(unknown))}"
            )

    def get_queryset(self):
        return self.reader_queryset()

    def filter_queryset(self, queryset):
        """A listing in the ``?order=`` asked for, or the ``?search=``
        results, the best first."""
        order = self.request.GET.get("order")
        if order is not None and order not in self.orderings:
            raise BadRequestError(f"order must be one of: {', '.join(self.orderings)}")
        if "search" in self.request.GET:
            queryset = self.search(queryset)
        if order is not None:
            queryset = queryset.order_by(*self.orderings[order](), "-pk")
        return queryset

    def search(self, queryset):
        """The best ``search.SEARCH_LIMIT`` items for the reader's words, the
        best first, as the site's search finds them."""
        words = search_words(query_param(self.request, "search", search.QUERY_LENGTH))
        wanted = search.reader_query(words)
        if wanted is None:
            raise BadRequestError("search needs at least one word")
        found = [
            item.pk
            for item in self.model.objects.published_for_search()
            .only("pk")
            .search(wanted.query)[: search.SEARCH_LIMIT]
        ]
        best = Case(
            *(When(pk=pk, then=rank) for rank, pk in enumerate(found)),
            default=len(found),
        )
        return queryset.filter(pk__in=found).order_by(best)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        return response

    def dispatch(self, request, *args, **kwargs):
        return in_language_asked(request, super().dispatch, *args, **kwargs)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class PageAPIViewSet(ReaderAPIViewSet):
    listing_default_fields = ["id", "type", "detail_url", "html_url", "title"]
    shown_meta_fields = [
        *ReaderAPIViewSet.shown_meta_fields,
        ("html_url", page_url),
        ("first_published_at", lambda page, context: iso(page.first_published_at)),
    ]
    orderings = {
        "first_published_at": lambda: ["first_published_at"],
        "-first_published_at": lambda: ["-first_published_at"],
    }
    searchable = True

    def reader_queryset(self):
        """What the request's newsroom publishes."""
        return self.newsroom_pages().order_by("-first_published_at", "-pk")

    def newsroom_pages(self):
        return self.model.objects.published().in_newsroom(self.request)


def reading(attribute):
    return lambda page, context: getattr(page.reading(language()), attribute)


ANNOUNCEMENT_FIELDS = [
    ("title", reading("title")),
    ("standfirst", reading("standfirst")),
    ("body", lambda page, context: rich_text(page.reading(language()).body)),
    ("date", lambda page, context: iso(page.reader_date(language()))),
    ("dateline_place", reading("dateline_place")),
    (
        "organisation",
        lambda page, context: organisation_summary(page.organisation, context),
    ),
    ("trial", trial_summary),
    ("contacts", contacts_summary),
]
ANNOUNCEMENT_META_FIELDS = [
    *PageAPIViewSet.shown_meta_fields,
    # The language the text is in: the other one for an item its authors
    # wrote in one language only.
    ("language", lambda page, context: page.content_language(language())),
    ("languages", lambda page, context: page.available_languages()),
]


class AnnouncementAPIViewSet(PageAPIViewSet):
    listing_default_fields = [*PageAPIViewSet.listing_default_fields, "date"]
    shown_meta_fields = ANNOUNCEMENT_META_FIELDS
    # The date readers of the asked language see; undated items last.
    orderings = {
        "date": lambda: [listed_at(language())],
        "-date": lambda: [f"-{listed_at(language())}"],
        **PageAPIViewSet.orderings,
    }

    def reader_queryset(self):
        return super().reader_queryset().for_cards()


class ReleasesAPIViewSet(AnnouncementAPIViewSet):
    name = "releases"
    model = PressRelease
    shown_fields = [
        *ANNOUNCEMENT_FIELDS,
        ("lead_image", lead_image),
        ("attachments", attachments),
        (
            "press_kit_url",
            lambda page, context: absolute(
                context, reverse("press_kit", args=[page.pk])
            ),
        ),
    ]

    def reader_queryset(self):
        return super().reader_queryset().select_related("lead_image")


class StatementsAPIViewSet(AnnouncementAPIViewSet):
    name = "statements"
    model = PartnerPosition
    shown_fields = [
        *ANNOUNCEMENT_FIELDS,
        ("source_url", lambda page, context: page.source_url or None),
    ]


def lay_summary(trial, context):
    """The trial explained to patients and families, once public: its
    sections as written, in the reader's language (else the other)."""
    summary = trial.public_lay_summary
    if summary is None:
        return None
    return {
        "title": text(summary, "title"),
        "html_url": page_url(summary, context),
        "language": summary.content_language(language()),
        "last_published_at": iso(summary.last_published_at),
        "sections": {
            name: section
            for name, _heading, section, _code in summary.sections(language())
        },
    }


def trial_text(field):
    return lambda trial, context: text(trial, field)


class TrialsAPIViewSet(PageAPIViewSet):
    name = "trials"
    model = Trial
    listing_default_fields = [*PageAPIViewSet.listing_default_fields, "registry_id"]
    shown_fields = [
        ("title", lambda trial, context: trial.title),
        ("full_name", trial_text("full_name")),
        ("registry_id", lambda trial, context: trial.registry_id),
        ("registry_url", lambda trial, context: trial.registry_url),
        ("phase", lambda trial, context: str(trial.get_phase_display()) or None),
        ("status", lambda trial, context: str(trial.get_status_display()) or None),
        ("condition", trial_text("condition")),
        ("design", lambda trial, context: trial.design_text() or None),
        ("participants", lambda trial, context: trial.participants),
        ("centres", lambda trial, context: trial.centres),
        ("countries", trial_text("countries")),
        (
            "sponsor",
            lambda trial, context: organisation_summary(trial.sponsor, context),
        ),
        ("primary_endpoint", trial_text("primary_endpoint")),
        ("primary_endpoint_result", trial_text("primary_endpoint_result")),
        ("summary", lambda trial, context: rich_text(text(trial, "summary"))),
        ("lay_summary", lambda trial, context: lay_summary(trial, context)),
        (
            "publication",
            lambda trial, context: (
                {
                    "journal": trial.journal,
                    "article_title": trial.article_title,
                    "doi": trial.doi,
                    "doi_url": trial.doi_url,
                    "date": iso(trial.publication_date),
                }
                if trial.journal or trial.doi
                else None
            ),
        ),
    ]

    def newsroom_pages(self):
        """Its trials, and those another newsroom keeps that it publishes
        about (``TrialQuerySet.shown_in``)."""
        site = Site.find_for_request(self.request)
        if site is None:
            return self.model.objects.none()
        return self.model.objects.published().shown_in(site)

    def reader_queryset(self):
        return (
            super()
            .reader_queryset()
            .select_related("sponsor")
            .prefetch_related(
                Prefetch(
                    "lay_summaries",
                    queryset=LaySummary.objects.published(),
                    to_attr="published_lay_summaries",
                )
            )
        )


class ContactsAPIViewSet(PageAPIViewSet):
    name = "contacts"
    model = PressContact
    shown_fields = [
        ("title", lambda contact, context: text(contact, "title")),
        ("role", lambda contact, context: text(contact, "role")),
        (
            "organisation",
            lambda contact, context: organisation_summary(
                contact.organisation, context
            ),
        ),
        ("phone", lambda contact, context: contact.phone or None),
        ("phone_secondary", lambda contact, context: contact.phone_secondary or None),
        ("email", lambda contact, context: contact.email or None),
        (
            "vcard_url",
            lambda contact, context: absolute(
                context, reverse("contact_vcard", args=[contact.pk])
            ),
        ),
    ]

    def reader_queryset(self):
        return super().reader_queryset().select_related("organisation")


def public_organisations():
    """Organisations a public page names (or the institution, named on every
    page): not one created for an item still under embargo. One query."""
    named = Q(pk__in=Institution.objects.values("organisation_id"))
    for model, field in (
        (PressRelease, "organisation"),
        (PartnerPosition, "organisation"),
        (PressContact, "organisation"),
        (Trial, "sponsor"),
    ):
        named |= Exists(model.objects.published().filter(**{field: OuterRef("pk")}))
    return Organisation.objects.filter(named)


class OrganisationsAPIViewSet(ReaderAPIViewSet):
    """The organisations snippet: name, kind, website, logo."""

    name = "organisations"
    model = Organisation
    listing_default_fields = ["id", "type", "detail_url", "name"]
    shown_fields = [
        ("name", lambda organisation, context: organisation.name_in(language())),
        ("slug", lambda organisation, context: organisation.slug),
        ("kind", lambda organisation, context: str(organisation.get_kind_display())),
        ("website", lambda organisation, context: organisation.website or None),
        ("logo", lambda organisation, context: logo(organisation, context)),
    ]

    def reader_queryset(self):
        return public_organisations().select_related("logo").order_by("name", "pk")


def logo(organisation, context):
    rendition = organisation.logo_rendition
    if rendition is None:
        return None
    return {
        "url": images.absolute_url(rendition, context["request"]),
        "width": rendition.width,
        "height": rendition.height,
        "alt": gettext("Logo of %(organisation)s")
        % {"organisation": organisation.name_in(language())},
    }


ENDPOINTS = [
    ReleasesAPIViewSet,
    StatementsAPIViewSet,
    TrialsAPIViewSet,
    ContactsAPIViewSet,
    OrganisationsAPIViewSet,
]


class ReaderRouter(WagtailAPIRouter):
    """Wagtail's router, whose root lists the endpoints."""

    def get_urlpatterns(self):
        return [
            path("", require_safe(self.root_view), name="root"),
            *super().get_urlpatterns(),
        ]

    def root_view(self, request):
        return in_language_asked(request, self.root)

    def root(self, request):
        endpoints = {
            name: request.build_absolute_uri(
                reverse(f"{self.url_namespace}:{name}:listing")
            )
            for name in self._endpoints
        }
        response = JsonResponse(
            {"language": translation.get_language(), "endpoints": endpoints}
        )
        response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        return response


def make_router(namespace):
    router = ReaderRouter(namespace)
    for endpoint in ENDPOINTS:
        router.register_endpoint(endpoint.name, endpoint)
    return router


# /api/v2/… and /fr/api/v2/…, /en/api/v2/… (the site's language prefixes).
router = make_router("api")
localized_router = make_router("localized_api")
