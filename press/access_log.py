"""Every reading of an embargoed item before its lift, through any door.

The press area (a journalist's account) and the secret preview links both
call ``record``; communications reviewers read the entries per release in
the admin ("Embargoed readings"). The client's address is found as the login
lockout finds it (django-axes, behind the same proxies).
"""

from django.utils import translation

from wagtail.models import Site

from axes.helpers import get_client_ip_address

from .models import AccessLog


def record(request, page, *, link=None, journalist=None, document=None):
    """Note that ``request`` read ``page`` (or its attachment ``document``, or
    a file of it named ``document``) before its embargo, through ``link`` or
    ``journalist``'s account."""
    if journalist is not None:
        via, who = AccessLog.Via.ACCOUNT, str(journalist)
    else:
        via, who = AccessLog.Via.LINK, str(link) if link is not None else ""
    # The title read: the approved text's, not an older or later draft's.
    scheduled = page.specific.scheduled_revision
    title = str((scheduled.as_object() if scheduled else page).title)
    return AccessLog.objects.create(
        page=page,
        title=title[:255],
        document=(
            document if isinstance(document, str) else getattr(document, "title", "")
        )[:255],
        via=via,
        journalist=journalist,
        link=link,
        who=who[:255],
        language=translation.get_language() or "",
        ip_address=get_client_ip_address(request),
        # The newsroom read at, whose item it is (each door checks).
        newsroom=Site.find_for_request(request),
    )
