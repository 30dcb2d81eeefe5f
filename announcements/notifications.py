"""E-mails to the communications reviewers, who answer for what goes out:
a failed embargo lift, a journalist's request for a press account.

They are written at once, in each reviewer's language, and queued once the
change is committed; the worker sends each (``send_notification``) and, when
the mail server fails, tries it again later until it takes it
(newsroom/tasks.py). Neither the scheduler nor a journalist's registration
waits for the mail server."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import EmailMessage
from django.utils import translation

from django_tasks import task

from newsroom.tasks import BACKEND, enqueue_on_commit, retry_later

from . import languages, teams
from .roles import COMMUNICATIONS_REVIEWERS


def mail_communications_reviewers(compose, about):
    """Mail each active communications reviewer of the newsroom of the page
    ``about`` who has an address, in their admin language, or in French and
    English when they chose none. ``compose(language)`` gives
    ``(subject, body)``; returns the messages queued, as
    ``(address, subject, body)``."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__in=teams.groups_for(COMMUNICATIONS_REVIEWERS, about)
            if about is not None
            else Group.objects.filter(name=COMMUNICATIONS_REVIEWERS),
        )
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
            (
                user.email,
                " / ".join(subject for subject, _body in parts),
                "\n\n----\n\n".join(body for _subject, body in parts),
            )
        )
    for message in messages:
        enqueue_on_commit(send_notification, *message)
    return messages


@task(backend=BACKEND)
def send_notification(address, subject, body, attempt=1):
    """Sends one reviewer's message; tried again later when the mail server
    fails."""
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[address],
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send()
    except Exception:
        retry_later(send_notification, attempt, address, subject, body)
        raise
