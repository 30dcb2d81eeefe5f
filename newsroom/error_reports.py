"""Error reports to Sentry, without personal data or secrets.

``settings/production.py`` starts it when SENTRY_DSN is set; the tests start
it with the same options and a transport of their own.
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration


def start_sentry(dsn, environment, **options):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        # No personal data: readers' addresses and editors' names stay here.
        send_default_pii=False,
        # Nor what forms post: passwords (the press area's), addresses.
        max_request_body_size="never",
        # Nor what each frame of a traceback holds: a password being checked,
        # typed twice or hashed is a local variable under any name
        # (``raw_password``, ``again``, a form's ``cleaned_data``), which no
        # list of names to scrub would all catch. The traceback's lines stay.
        include_local_variables=False,
        **options,
    )
