"""E-mails to the communications reviewers, who answer for what goes out:
a failed embargo lift, a journalist's request for a press account."""

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.utils import translation

from . import languages
from .roles import COMMUNICATIONS_REVIEWERS


def mail_communications_reviewers(compose):
    """Mail each active communications reviewer who has an address, in their
    admin language, or in French and English when they chose none.
    ``compose(language)`` gives ``(subject, body)``; returns the messages."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=COMMUNICATIONS_REVIEWERS)
        .exclude(email="")
        .select_related("wagtail_userprofile")
        .distinct()
    )
    messages = []
    for user in users:
        profile = getattr(user, "wagtail_userprofile", None)
        preferred = getattr(profile, "preferred_language", "")
        chosen = [preferred] if preferred in languages.CODES else languages.CODES
        parts = []
        for language in chosen:
            with translation.override(language):
                parts.append(compose(language))
        messages.append(
            EmailMessage(
                subject=" / ".join(subject for subject, _body in parts),
                body="\n\n----\n\n".join(body for _subject, body in parts),
                to=[user.email],
                headers={"Auto-Submitted": "auto-generated"},
            )
        )
    if messages:
        get_connection().send_messages(messages)
    return messages
