"""Validators for the identifiers editors copy from registries and journals."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# A ClinicalTrials.gov number; also the shape of a trial feed's address.
REGISTRY_ID_PATTERN = r"NCT\d{8}"

validate_registry_id = RegexValidator(
    rf"^{REGISTRY_ID_PATTERN}\Z",
    message=_(
        "Enter a ClinicalTrials.gov number: NCT followed by 8 digits, "
        "for example NCT03039673."
    ),
    code="invalid_registry_id",
)

validate_doi = RegexValidator(
    r"^10\.\d{4,9}/\S+\Z",
    message=_(
        "Enter a DOI such as 10.1016/S0140-6736(25)00000-0, without “https://doi.org/”."
    ),
    code="invalid_doi",
)

# International or national numbers as press offices write them: digits,
# spaces, dots, dashes, brackets, an optional leading “+”; 6 to 20 digits.
validate_phone = RegexValidator(
    r"^\+?(?:[\s().\-/]*\d){6,20}[\s().\-/]*\Z",
    message=_("Enter a phone number such as +33 4 66 68 33 04."),
    code="invalid_phone",
)
