"""Admin views of the newsroom that are not Wagtail's own."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import languages
from .models import LaySummary, Trial
from .models.lay_summaries import SECTION_NAMES
from .registry import RegistryError, import_registry, study_url


@require_http_methods(["GET", "POST"])
def import_registry_view(request, page_id):
    """The "Import from ClinicalTrials.gov" button of a trial's edit page:
    GET asks for confirmation, POST reads the registry and keeps a snapshot.
    For those who may edit the trial record."""
    trial = get_object_or_404(Trial, pk=page_id)
    if not trial.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    edit_url = reverse("wagtailadmin_pages:edit", args=[trial.pk])
    if request.method == "POST":
        try:
            snapshot = import_registry(trial)
        except RegistryError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "%(id)s imported from ClinicalTrials.gov: the registered facts "
                    "of %(date)s are on the trial record."
                )
                % {
                    "id": trial.registry_id,
                    "date": snapshot.fetched_at.date().isoformat(),
                },
            )
        return redirect(edit_url)
    return TemplateResponse(
        request,
        "announcements/admin/import_registry.html",
        {
            "trial": trial,
            "source_url": study_url(trial.registry_id),
            "snapshots": trial.registry_snapshots.newest_first(),
            "edit_url": edit_url,
            "header_title": _("Import from ClinicalTrials.gov"),
        },
    )


# A section longer than this is measured on its start (a summary is short).
MAX_SECTION = 20_000


@require_POST
def lay_summary_readability_view(request):
    """The readability panel of a lay summary for the text being written
    (the edit form's sections, posted as the editor types): measured, never
    saved. For whoever may use the admin."""
    fields = {
        f"{name}_{code}": request.POST.get(f"{name}_{code}", "")[:MAX_SECTION]
        for name in SECTION_NAMES
        for code in languages.CODES
    }
    summary = LaySummary(**fields)
    return TemplateResponse(
        request,
        "announcements/admin/readability_panel.html",
        {"measures": summary.readability(request)},
    )
