"""Two saves of one new page at once: autosave creating it while the editor
clicks Save. Wagtail checks both forms before either saves, so the second
meets the page the first created only as it saves it (the address is taken)
and would answer with a server error. It is answered instead: autosave gets
Wagtail's JSON error (it tries again on the page the first save created),
and the editor is taken to that page, which holds what they typed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from wagtail.models import Page

from . import languages


class ConcurrentCreateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        match = request.resolver_match
        if (
            request.method != "POST"
            or not isinstance(exception, ValidationError)
            or match is None
            or match.view_name != "wagtailadmin_pages:add"
            or not any(
                name.startswith("slug") for name in getattr(exception, "error_dict", {})
            )
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
