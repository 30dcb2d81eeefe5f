"""Several newsrooms in one install, one per institution.

A newsroom is a Wagtail site: a host name, a home page with its sections
(``site_tree``), its ``Institution`` setting (name, logo), a collection for
its files, one group per editorial role (``teams``) whose page and collection
permissions are granted on its home page and its collection only, and its own
review workflow, whose steps its own reviewers take. Its lists, feeds,
search, sitemap, calendar and API read its own pages (``in_newsroom``).

A trial is one record in the install, kept by the newsroom whose tree holds
it; every newsroom that publishes about it shows it, and everything every
newsroom published about it, at its own address (``TrialQuerySet.shown_in``,
``TrialIndexPage.route``).
"""

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import translation

from wagtail.models import GroupApprovalTask, Site, Workflow, WorkflowTask

from . import languages, roles, site_tree, teams
from .models import (
    Institution,
    MedicalReviewTask,
    PartnerPosition,
    PositionIndexPage,
    TrialIndexPage,
)


def _own_workflow(groups):
    """A review workflow whose steps this newsroom's reviewers take."""
    workflow = Workflow.objects.create(name=roles.REVIEW_WORKFLOW, active=True)
    for order, (name, role, (app_label, _model)) in enumerate(roles.STEPS):
        model = MedicalReviewTask if app_label == "announcements" else GroupApprovalTask
        task = model.objects.create(name=name, active=True)
        task.groups.set([groups[role]])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


def add_newsroom(*, hostname, name_fr, name_en="", port=80, organisation=None):
    """A new newsroom at ``hostname``: its home and sections, its site, its
    institution setting, its collection, groups and review workflow.
    Returns the site."""
    if Site.objects.filter(hostname=hostname, port=port).exists():
        raise ValueError(f"A newsroom already answers at {hostname}:{port}.")
    with transaction.atomic(), translation.override(languages.DEFAULT):
        site = Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=site_tree.add_home(),
            site_name=name_fr,
        )
        groups, _collection = teams.draw_edges(site, newsroom=name_fr)
        site_tree.add_indexes(site.root_page, _own_workflow(groups))
        institution = Institution.for_site(site)
        institution.name_fr = name_fr
        institution.name_en = name_en
        institution.organisation = organisation
        institution.save()
    return site


def newsroom_of(request):
    """The request's newsroom (the Wagtail site answering for its host); a
    404 when none does."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def address_of(site):
    """Where the newsroom's pages are, for links that leave it (e-mails,
    calendars, links handed to journalists): the first newsroom's is
    ``WAGTAILADMIN_BASE_URL`` (its Site record may say ``localhost``), and
    so is a page's under no site's home; another's its site's own address."""
    if site is None or site.is_default_site:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return site.root_url


def _published_elsewhere(page, request):
    """The id of the site ``page`` is in, when it is another newsroom's than
    the request's; else None."""
    parts = page.get_url_parts(request)
    current = Site.find_for_request(request)
    if parts is None or current is None or parts[0] == current.pk:
        return None
    return parts[0]


def name_of(site, language):
    """The name of ``site``'s newsroom (its institution's) for readers of
    ``language``, as messages sign with it; "" when it has none. Read with
    the site when it was selected with ``institution__organisation``."""
    try:
        institution = site.institution
    except Institution.DoesNotExist:
        return ""
    return institution.name_in(language)


def elsewhere(page, request, language):
    """The name of the newsroom that published ``page`` (its institution's,
    else its site's), when it is not the request's own; else "". The
    newsrooms are read once per request, in one query, when a page first
    names another's item."""
    site_id = _published_elsewhere(page, request)
    if site_id is None:
        return ""
    if not hasattr(request, "_newsrooms"):
        request._newsrooms = {
            site.pk: site
            for site in Site.objects.select_related(
                "institution", "institution__organisation"
            )
        }
    site = request._newsrooms.get(site_id)
    if site is None:
        return ""
    return name_of(site, language) or site.site_name or site.hostname


def trial_url(trial, request):
    """The trial's address in the newsroom being read: its own page, or for
    a trial another newsroom keeps, its address in this newsroom's trials
    section (``TrialIndexPage.route``). The section is read once per
    request."""
    if _published_elsewhere(trial, request) is None:
        return trial.get_url(request)
    if not hasattr(request, "_newsroom_trials"):
        current = Site.find_for_request(request)
        request._newsroom_trials = (
            TrialIndexPage.objects.child_of(current.root_page).live().first()
        )
    section = request._newsroom_trials
    if section is None:
        return trial.get_url(request)
    return f"{section.get_url(request)}{trial.slug}/"


def partners_demo(port=80, domain="localhost"):
    """The MIROCALS partners each in a newsroom of their own: every
    organisation that has a statement in the first newsroom (other than the
    institution's own) gets one at ``<organisation>.<domain>``, and its
    statements move there, with their history. Safe to run again.
    Returns the newsrooms' sites."""
    first = Site.objects.get(is_default_site=True)
    own = Institution.for_site(first).organisation_id
    statements = (
        PartnerPosition.objects.in_site(first)
        .exclude(organisation_id=own)
        .select_related("organisation", "organisation__logo")
    )
    sites = {}
    for statement in statements:
        organisation = statement.organisation
        hostname = f"{organisation.slug}.{domain}"
        site = sites.get(hostname) or Site.objects.filter(hostname=hostname).first()
        if site is None:
            site = add_newsroom(
                hostname=hostname,
                port=port,
                name_fr=organisation.name_fr or organisation.name,
                name_en=organisation.name_en or "",
                organisation=organisation,
            )
            if organisation.logo_id:
                institution = Institution.for_site(site)
                institution.logo = organisation.logo
                institution.logo_alt_fr = f"Logo de {organisation.name_fr}"
                institution.logo_alt_en = (
                    f"Logo of {organisation.name_en or organisation.name_fr}"
                )
                institution.save()
        sites[hostname] = site
        index = PositionIndexPage.objects.child_of(site.root_page).get()
        statement.move(index, pos="last-child")
    return list(sites.values())
