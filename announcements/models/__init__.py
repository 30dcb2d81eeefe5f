from .announcement import AnnouncementPage
from .claims import ClaimWords, MedicalReviewTask
from .contacts import ContactIndexPage, PressContact
from .home import HomePage
from .institution import Institution
from .lay_summaries import GlossaryTerm, LaySummary
from .organisations import Organisation
from .positions import (
    PartnerPosition,
    PartnerPositionContact,
    PartnerPositionCorrection,
    PositionIndexPage,
)
from .registry import RegistrySnapshot
from .releases import (
    PressRelease,
    PressReleaseAttachment,
    PressReleaseContact,
    PressReleaseCorrection,
    ReleaseIndexPage,
)
from .seed import SeedRecord
from .trials import Trial, TrialIndexPage

__all__ = [
    "AnnouncementPage",
    "ClaimWords",
    "ContactIndexPage",
    "GlossaryTerm",
    "HomePage",
    "Institution",
    "LaySummary",
    "MedicalReviewTask",
    "Organisation",
    "PartnerPosition",
    "PartnerPositionContact",
    "PartnerPositionCorrection",
    "PositionIndexPage",
    "PressContact",
    "PressRelease",
    "PressReleaseAttachment",
    "PressReleaseContact",
    "PressReleaseCorrection",
    "RegistrySnapshot",
    "ReleaseIndexPage",
    "SeedRecord",
    "Trial",
    "TrialIndexPage",
]
