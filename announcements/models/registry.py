"""What a trial's registry record said, on the day it was read.

Each import from ClinicalTrials.gov adds a dated snapshot: registries change,
and the history is the point. The raw answer is kept beside the facts read
from it, so that a later reading of the same answer needs no new request.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

PHASE_LABELS = {
    "EARLY_PHASE1": "1",
    "PHASE1": "1",
    "PHASE2": "2",
    "PHASE3": "3",
    "PHASE4": "4",
}

# The registry's masking words, as the trial record's ``Trial.Masking`` values.
MASKING_VALUES = {
    "NONE": "open",
    "SINGLE": "single",
    "DOUBLE": "double",
    "TRIPLE": "triple",
    "QUADRUPLE": "quadruple",
}
_MONTHS = re.compile(
    r"(?:\bmonths?\s*(?P<after>\d+))|(?:(?P<before>\d+)\s*-?\s*(?:months?|mois)\b)",
    re.IGNORECASE,
)


def months_in(text):
    """The time frame in months a text states ("Month 18", "21 months",
    "21 mois"), or None."""
    match = _MONTHS.search(text or "")
    if match is None:
        return None
    return int(match.group("after") or match.group("before"))


class RegistrySnapshotQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-fetched_at", "-pk")


class RegistrySnapshot(models.Model):
    trial = models.ForeignKey(
        "announcements.Trial",
        verbose_name=_("trial"),
        on_delete=models.CASCADE,
        related_name="registry_snapshots",
    )
    registry_id = models.CharField(_("registry ID"), max_length=32)
    source_url = models.URLField(_("source URL"), max_length=500)
    fetched_at = models.DateTimeField(_("read at"), db_index=True)
    raw = models.JSONField(_("registry answer"))
    facts = models.JSONField(_("registered facts"))

    objects = RegistrySnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("registry snapshot")
        verbose_name_plural = _("registry snapshots")
        ordering = ["-fetched_at", "-pk"]

    def __str__(self):
        return f"{self.registry_id} ({self.fetched_at:%Y-%m-%d})"

    @property
    def public_url(self):
        """The study's page for readers (the API answer is for machines)."""
        return f"https://clinicaltrials.gov/study/{self.registry_id}"

    @property
    def phase(self):
        """The registered phase(s) as the trial record writes them: "2", "2/3"."""
        phases = [PHASE_LABELS.get(p, p) for p in self.facts.get("phases") or []]
        return "/".join(dict.fromkeys(phases))

    @property
    def enrolment(self):
        return (self.facts.get("enrollment") or {}).get("count")

    @property
    def enrolment_type(self):
        return (self.facts.get("enrollment") or {}).get("type", "")

    @property
    def primary_outcomes(self):
        return self.facts.get("primary_outcomes") or []

    @property
    def eudract_number(self):
        return self.facts.get("eudract_number", "")

    @property
    def status(self):
        """The registered status as schema.org's MedicalStudyStatus name
        (``COMPLETED`` → ``Completed``), as ``Trial.status`` stores it."""
        words = (self.facts.get("status") or "").split("_")
        return "".join(word.capitalize() for word in words if word)

    @property
    def masking(self):
        return MASKING_VALUES.get(self.facts.get("masking") or "", "")

    @property
    def last_update(self):
        return self.facts.get("last_update", "")

    def primary_outcome_months(self):
        """The first primary outcome's time frame in months, when it says one."""
        outcomes = self.primary_outcomes
        return months_in(outcomes[0]["time_frame"]) if outcomes else None

    def as_schema_dataset(self):
        """The registry record as schema.org sees it: a dataset about the
        trial whose measured variables are the registered primary outcomes."""
        data = {
            "@type": "Dataset",
            "name": f"ClinicalTrials.gov {self.registry_id}",
            "url": self.public_url,
            "dateModified": self.last_update,
            "variableMeasured": [
                {
                    "@type": "PropertyValue",
                    "name": outcome["measure"],
                    "description": " — ".join(
                        part
                        for part in (outcome["time_frame"], outcome["description"])
                        if part
                    ),
                }
                for outcome in self.primary_outcomes
            ],
        }
        return {key: value for key, value in data.items() if value}
