from .alerts import AlertSent, AlertSubscription
from .announcement import AnnouncementPage
from .claims import ClaimWords, MedicalReviewTask
from .contacts import ContactIndexPage, PressContact
from .home import HomePage
from .institution import Institution
from .organisations import Organisation
from .positions import (
    PartnerPosition,
    PartnerPositionContact,
    PartnerPositionCorrection,
    PositionIndexPage,
)
from .press import AccessLog, Journalist, PressAccess
from .previews import EmbargoPreviewLink
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
    "AlertSent",
    "AlertSubscription",
    "AccessLog",
    "AnnouncementPage",
    "ClaimWords",
    "ContactIndexPage",
    "EmbargoPreviewLink",
    "HomePage",
    "Institution",
    "Journalist",
    "MedicalReviewTask",
    "Organisation",
    "PartnerPosition",
    "PartnerPositionContact",
    "PartnerPositionCorrection",
    "PositionIndexPage",
    "PressAccess",
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
