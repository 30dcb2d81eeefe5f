"""Which fields carry a French and an English value (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    ContactIndexPage,
    GlossaryTerm,
    HomePage,
    Institution,
    LaySummary,
    Organisation,
    PartnerPosition,
    PartnerPositionCorrection,
    PositionIndexPage,
    PressContact,
    PressRelease,
    PressReleaseCorrection,
    ReleaseIndexPage,
    Trial,
    TrialIndexPage,
)
from .models.lay_summaries import SECTION_NAMES


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)


@register(Institution)
class InstitutionTranslation(TranslationOptions):
    fields = ("name", "logo_alt")


@register(
    [HomePage, TrialIndexPage, ReleaseIndexPage, PositionIndexPage, ContactIndexPage]
)
class IntroTranslation(TranslationOptions):
    fields = ("intro",)


@register(Trial)
class TrialTranslation(TranslationOptions):
    fields = (
        "full_name",
        "condition",
        "countries",
        "primary_endpoint",
        "primary_endpoint_result",
        "summary",
    )


@register(LaySummary)
class LaySummaryTranslation(TranslationOptions):
    fields = SECTION_NAMES


@register(GlossaryTerm)
class GlossaryTermTranslation(TranslationOptions):
    fields = ("term", "definition")


@register(PartnerPosition)
class AnnouncementTranslation(TranslationOptions):
    fields = ("dateline_place", "standfirst", "body", "editors_note")


@register(PressRelease)
class PressReleaseTranslation(AnnouncementTranslation):
    fields = (
        *AnnouncementTranslation.fields,
        "dateline_date",
        "lead_image_alt",
        "lead_image_caption",
        "lead_image_credit",
    )


@register(PressContact)
class PressContactTranslation(TranslationOptions):
    fields = ("role",)


@register([PressReleaseCorrection, PartnerPositionCorrection])
class CorrectionTranslation(TranslationOptions):
    fields = ("note",)
