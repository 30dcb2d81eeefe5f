"""The page shown when django-axes refuses a sign-in.

Axes' own page is an untranslated line of text; an editor who mistyped their
password five times needs, in their language, what happened, how long to
wait and whom to ask.
"""

import math

from django.conf import settings
from django.shortcuts import render

from axes.helpers import get_cool_off, get_failure_limit


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(
        request,
        "login_locked.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
