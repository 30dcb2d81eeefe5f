"""How often a public form may make the site send a mail, or try a password.

Each door (a press sign-in link, a registration, an alert subscription, a
password sign-in) counts the requests per address asked for and per client,
in the shared cache, with django-ratelimit: one limit each
(``RATE_LIMIT_PER_ADDRESS``, ``RATE_LIMIT_PER_CLIENT``). The client is found
as the login lockout finds it (django-axes and ipware, behind the same
proxies). A limited request is answered 429 with its form and a message,
and sends nothing. With the cache down the limits lapse (the doors stay
open); the press password lockout does not depend on the cache.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from axes.helpers import get_client_ip_address
from django_ratelimit.core import is_ratelimited

TOO_MANY = _(
    "Too many requests for this address or from your connection: please try "
    "again later."
)


def too_many(request, door, address=None):
    """Counts this request at ``door``, for ``address`` (when given) and for
    the client; whether either has gone over its limit."""
    counts = [(f"client:{get_client_ip_address(request)}", "RATE_LIMIT_PER_CLIENT")]
    if address:
        counts.append((f"address:{address.strip().lower()}", "RATE_LIMIT_PER_ADDRESS"))
    limited = False
    for value, setting in counts:
        limited |= is_ratelimited(
            request,
            group=door,
            key=lambda _group, _request, value=value: value,
            rate=getattr(settings, setting),
            increment=True,
        )
    return limited
