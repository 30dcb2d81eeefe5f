"""Which fields carry a French and an English value (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    ContactIndexPage,
    HomePage,
    Organisation,
    PartnerPosition,
    PositionIndexPage,
    PressContact,
    PressRelease,
    ReleaseIndexPage,
    Trial,
    TrialIndexPage,
)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)


@register(HomePage)
class HomePageTranslation(TranslationOptions):
    fields = ("intro",)


@register(TrialIndexPage)
class TrialIndexPageTranslation(TranslationOptions):
    fields = ("intro",)


@register(ReleaseIndexPage)
class ReleaseIndexPageTranslation(TranslationOptions):
    fields = ("intro",)


@register(PositionIndexPage)
class PositionIndexPageTranslation(TranslationOptions):
    fields = ("intro",)


@register(ContactIndexPage)
class ContactIndexPageTranslation(TranslationOptions):
    fields = ("intro",)


@register(Trial)
class TrialTranslation(TranslationOptions):
    fields = (
        "full_name",
        "countries",
        "primary_endpoint",
        "primary_endpoint_result",
        "summary",
    )


@register(PressRelease)
class PressReleaseTranslation(TranslationOptions):
    fields = ("dateline_place", "dateline_date", "standfirst", "body")


@register(PartnerPosition)
class PartnerPositionTranslation(TranslationOptions):
    fields = ("dateline_place", "standfirst", "body")


@register(PressContact)
class PressContactTranslation(TranslationOptions):
    fields = ("role",)
