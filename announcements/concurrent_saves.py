"""Two saves of one new page at once: autosave creating it while the editor
clicks Save. Wagtail checks both forms before either saves, so the second
meets the page the first created only as it saves it (the address is taken)
and would answer with a server error; the first, if the second's editor
reached the new page's edit view in between, meets their subscription to it.
Each is answered instead: autosave gets Wagtail's JSON error (it tries again
on the page the first save created), and the editor is taken to that page,
which holds what they typed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from wagtail.models import Page

from . import languages


def _met_the_other_save(exception):
    """Did this save of a new page meet the other save of the same page? The
    second to save finds the address taken (a ValidationError on a slug); or
    the first, having saved the page and its revision, finds its creator
    already subscribed to it: the second, sent to the page's edit view,
    subscribed them in between (an IntegrityError on PageSubscription)."""
    if isinstance(exception, ValidationError):
        return any(
            name.startswith("slug") for name in getattr(exception, "error_dict", {})
        )
    return isinstance(exception, IntegrityError) and (
        "pagesubscription" in str(exception).lower()
    )


class ConcurrentCreateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        match = request.resolver_match
        if (
            request.method != "POST"
            or match is None
            or match.view_name != "wagtailadmin_pages:add"
            or not _met_the_other_save(exception)
        ):
            return None
        message = _(
            "This page was being saved twice at once (autosave and Save): it "
            "was saved once."
        )
        if request.accepts("application/json") and not request.accepts("text/html"):
            return JsonResponse(
                {
                    "success": False,
                    "error_code": "address_taken",
                    "error_message": message,
                },
                status=400,
            )
        parent = Page.objects.get(pk=match.kwargs["parent_page_id"])
        slugs = Q()
        for code in languages.CODES:
            if request.POST.get(f"slug_{code}"):
                slugs |= Q(**{f"slug_{code}": request.POST[f"slug_{code}"]})
        created = (
            parent.get_children().filter(slugs, owner=request.user).last()
            if slugs
            else None
        )
        if created is None:
            raise exception
        messages.warning(request, message)
        return redirect("wagtailadmin_pages:edit", created.pk)
