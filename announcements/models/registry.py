"""What a trial's registry record said, on the day it was read.

Each import from ClinicalTrials.gov adds a dated snapshot: registries change,
and the history is the point. The raw answer is kept beside the facts read
from it, so that a later reading of the same answer needs no new request.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

PHASE_LABELS = {
    "EARLY_PHASE1": "1",
    "PHASE1": "1",
    "PHASE2": "2",
    "PHASE3": "3",
    "PHASE4": "4",
}


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
