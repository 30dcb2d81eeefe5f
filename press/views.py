"""The press area: vetted journalists read embargoed items before their lift.

Journalists register on a public page; a communications reviewer approves
or refuses each one in the admin (``press.viewsets``). An approved
journalist signs in here, never in the Wagtail admin: with a password, or a
signed sign-in link sent by e-mail that works once and expires. The session
holds the journalist's id only (journalists are not users of the site).

The area lists the items the journalist may read (``Journalist.readable_items``)
and shows each as the secret preview links do: the approved revision, with
the EMBARGOED UNTIL banner, not indexable, not cached. Each reading is logged
(``press.access_log``). At its lift an item leaves the area and its
address leads to the public page.

Each newsroom has its own press area, at its own address: every view here
reads the journalists of the request's newsroom (``newsroom_of``), so an
account, a session, a link or a calendar address of one newsroom opens
nothing at another's.
"""

import datetime
import logging
from functools import partial, wraps

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce, Now
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve
from wagtail.models import Page, Site

from axes.helpers import get_client_ip_address

from announcements import embargo_time
from announcements.calendars import CONTENT_TYPE as CALENDAR_TYPE
from announcements.embargo import EmbargoedReading
from announcements.models import PressRelease
from announcements.newsrooms import address_of, name_of, newsroom_of
from announcements.notifications import mail_communications_reviewers
from newsroom.rate_limits import TOO_MANY, too_many

from . import access_log
from .calendars import journalist_calendar
from .links import kit_response, lifted_document, private
from .models import Journalist, PasswordAttempts, new_nonce

logger = logging.getLogger(__name__)

SESSION_KEY = "press_journalist"
# They decide on requests (and publishers, who are not disturbed by mail).
SESSION_HASH = "press_journalist_hash"
SIGN_IN_SALT = "announcements.press.sign-in"  # as first issued: links stay valid
# A sign-in link works once, within this time of being sent.
SIGN_IN_LINK_MINUTES = 30
CONFIRM_SALT = "press.confirm-address"
# A registration's confirmation link works once, within this time.
CONFIRM_LINK_HOURS = 24


# Which newsroom, who is signed in ------------------------------------------------


def _journalists(request):
    """The request's newsroom's journalists (none when no site answers)."""
    site = Site.find_for_request(request)
    if site is None:
        return Journalist.objects.none()
    return Journalist.objects.filter(newsroom=site).select_related(
        "newsroom__root_page"
    )


def _session_hash(journalist):
    # A new password or a new sign-in link's use does not sign others out;
    # a changed password or address does (as Django does for users), and so
    # does a revocation (``Journalist.end_access``).
    value = (
        f"{journalist.pk}:{journalist.password}:{journalist.email}:"
        f"{journalist.session_secret}"
    )
    return salted_hmac(SESSION_HASH, value).hexdigest()


def current_journalist(request):
    """The approved journalist signed in on this request, or None."""
    if not hasattr(request, "_press_journalist"):
        journalist = None
        pk = request.session.get(SESSION_KEY)
        if pk is not None:
            journalist = (
                _journalists(request)
                .filter(pk=pk, status=Journalist.Status.APPROVED)
                .first()
            )
            if journalist is not None and not constant_time_compare(
                request.session.get(SESSION_HASH, ""), _session_hash(journalist)
            ):
                journalist = None
        request._press_journalist = journalist
    return request._press_journalist


def sign_in(request, journalist):
    request.session.cycle_key()
    request.session[SESSION_KEY] = journalist.pk
    request.session[SESSION_HASH] = _session_hash(journalist)
    request._press_journalist = journalist


def journalist_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        journalist = current_journalist(request)
        if journalist is None:
            url = reverse("press:sign_in")
            return redirect(f"{url}?next={request.get_full_path()}")
        return view(request, journalist, *args, **kwargs)

    return wrapped


def _safe_next(request, value):
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


# E-mails ---------------------------------------------------------------------


def after_response(response, send):
    """Calls ``send`` once ``response`` has gone (the WSGI server closes it):
    the time a page takes then says nothing of whether a mail left."""

    def sending():
        try:
            send()
        except Exception:
            logger.exception("A press area e-mail could not be sent")

    response._resource_closers.append(sending)
    return response


def sign_in_token(journalist, next_url=""):
    return signing.dumps(
        {"j": journalist.pk, "n": journalist.sign_in_nonce, "next": next_url},
        salt=SIGN_IN_SALT,
    )


def _send(journalist, subject, template, context):
    with translation.override(journalist.language):
        context = {
            "journalist": journalist,
            "newsroom": name_of(journalist.newsroom, journalist.language),
            **context,
        }
        send_mail(
            str(subject),
            render_to_string(template, context),
            None,
            [journalist.email],
        )


def _notice_items(journalist):
    """The items waiting for the journalist, each with its lift in words."""
    items = journalist.readable_items()
    pages = Page.objects.filter(pk__in=items).specific()
    return [
        {
            # The approved text's title, as it will go live.
            "title": page.scheduled_revision.as_object().title,
            "lift": embargo_time.full_text(items[page.pk]),
        }
        for page in sorted(pages, key=lambda page: items[page.pk])
    ]


def send_sign_in_link(journalist, next_url=""):
    with translation.override(journalist.language):
        token = sign_in_token(journalist, next_url)
        path = reverse("press:sign_in_link", args=(token,))
        expires = timezone.now() + datetime.timedelta(minutes=SIGN_IN_LINK_MINUTES)
        _send(
            journalist,
            gettext("Your sign-in link to the press area"),
            "press/email/sign_in_link.txt",
            {
                "url": journalist.address(path),
                "expires": embargo_time.full_text(expires),
                "items": _notice_items(journalist),
            },
        )


def send_decision(journalist):
    """The reviewer's answer, in the journalist's language; an approval
    carries a first sign-in link, to the journalist's newsroom."""
    with translation.override(journalist.language):
        if journalist.is_approved:
            path = reverse("press:sign_in_link", args=(sign_in_token(journalist),))
            context = {
                "url": journalist.address(path),
                "sign_in_url": journalist.address(reverse("press:sign_in")),
                "items": _notice_items(journalist),
                "minutes": SIGN_IN_LINK_MINUTES,
                "has_password": journalist.has_password,
            }
            subject = gettext("Your press account is approved")
            template = "press/email/approved.txt"
        elif journalist.status == Journalist.Status.REFUSED:
            context = {}
            subject = gettext("Your press account request")
            template = "press/email/refused.txt"
        else:
            context = {}
            subject = gettext("Your access to the press area has ended")
            template = "press/email/revoked.txt"
        _send(journalist, subject, template, context)


def notify_press_office(journalist):
    """A new request: each active communications reviewer of the journalist's
    newsroom with an address hears of it, in their admin language (French and
    English when they chose none), as they hear of a failed embargo lift."""
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("journalists:index")

    def compose(language):
        return (
            gettext("Press account requested: %(journalist)s")
            % {"journalist": journalist},
            gettext(
                "%(journalist)s <%(email)s> asks to read embargoed items in the "
                "press area. Approve or refuse the request in the admin:\n%(url)s\n"
            )
            % {"journalist": journalist, "email": journalist.email, "url": url},
        )

    mail_communications_reviewers(compose, about=journalist.newsroom.root_page)


# Registration and sign-in ------------------------------------------------------


class RegistrationForm(forms.ModelForm):
    """Who the journalist is; no password: one is set once signed in, that
    is once the address is proved."""

    class Meta:
        model = Journalist
        fields = ["name", "outlet", "email", "language"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def validate_unique(self):
        # An address already registered is answered like any other (see
        # ``register``), so that the form tells nobody who has an account.
        pass

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


def confirmation_token(data):
    return signing.dumps(data, salt=CONFIRM_SALT, compress=True)


def registration_mail(site, data):
    """Sends, when called, what the address hears of the request either way:
    a link to confirm it, or, when it already has an account with the
    newsroom ``site``, that it has one. Neither the page nor its time says
    which."""
    journalist = Journalist.objects.filter(newsroom=site, email=data["email"]).first()
    language = journalist.language if journalist else data["language"]
    with translation.override(language):
        if journalist is not None and journalist.email_confirmed_at is not None:
            subject = gettext("Your press account")
            template = "press/email/already_registered.txt"
            url = reverse("press:sign_in")
        else:
            subject = gettext("Confirm your e-mail address for the press area")
            template = "press/email/confirm_address.txt"
            url = reverse("press:confirm", args=(confirmation_token(data),))
        body = render_to_string(
            template,
            {
                "name": journalist.name if journalist else data["name"],
                "newsroom": name_of(site, language),
                "url": address_of(site) + url,
                "hours": CONFIRM_LINK_HOURS,
            },
        )
    return EmailMessage(str(subject), body, to=[data["email"]]).send


@sensitive_post_parameters()
def register(request):
    """A journalist asks for an account: the address confirms itself by
    e-mail first, then the request's newsroom's press office decides."""
    site = newsroom_of(request)
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        if form.is_valid() and too_many(
            request, "press-register", form.cleaned_data["email"]
        ):
            form.add_error(None, TOO_MANY)
            return render(request, "press/register.html", {"form": form}, status=429)
        if form.is_valid():
            data = {
                field: form.cleaned_data[field]
                for field in ("name", "outlet", "email", "language")
            }
            # The confirmation opens an account with this newsroom only.
            data["newsroom"] = site.pk
            response = render(
                request, "press/registered.html", {"email": data["email"]}
            )
            return after_response(response, registration_mail(site, data))
    else:
        form = RegistrationForm(initial={"language": translation.get_language()})
    return render(request, "press/register.html", {"form": form})


def confirm_address(request, token):
    """The registration's confirmation link: a button to press (mail
    scanners that open links do not use it up); once pressed, the request
    goes to the newsroom's press office, and the link works no more."""
    site = newsroom_of(request)
    try:
        data = signing.loads(
            token, salt=CONFIRM_SALT, max_age=CONFIRM_LINK_HOURS * 3600
        )
    except signing.BadSignature:
        data = None
    # Only at the newsroom it was asked of (a link sent before there were
    # several names none: the first's).
    unnamed = site.pk if site.is_default_site else None
    if data is not None and data.get("newsroom", unnamed) != site.pk:
        data = None
    existing = None
    if data is not None:
        existing = Journalist.objects.filter(
            newsroom=site, email=data.get("email", "")
        ).first()
    if data is None or (existing is not None and existing.email_confirmed_at):
        return private(render(request, "press/link_expired.html", status=410))
    if request.method != "POST":
        return private(
            render(request, "press/confirm_address.html", {"email": data["email"]})
        )
    now = timezone.now()
    if existing is not None:
        # Known, never proved (an account from before proofs, or added in
        # the admin): proved now, once.
        journalist = existing
        used = Journalist.objects.filter(
            pk=existing.pk, email_confirmed_at__isnull=True
        ).update(email_confirmed_at=now)
    else:
        journalist = Journalist(
            newsroom=site,
            name=data["name"],
            outlet=data["outlet"],
            email=data["email"],
            language=data["language"],
            email_confirmed_at=now,
        )
        try:
            with transaction.atomic():
                journalist.save()
            used = True
        except IntegrityError:  # pressed twice at once: the other one won
            used = False
    if not used:
        return private(render(request, "press/link_expired.html", status=410))
    response = private(render(request, "press/address_confirmed.html"))
    if journalist.status == Journalist.Status.PENDING:
        after_response(response, lambda: notify_press_office(journalist))
    return response


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    again = forms.CharField(
        label=_("New password, again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        password, again = (
            self.cleaned_data.get("password"),
            self.cleaned_data.get("again"),
        )
        if password and again and password != again:
            raise ValidationError(_("The two passwords differ."))
        if password:
            validate_password(password)
        return self.cleaned_data


@sensitive_post_parameters()
@journalist_required
def set_password(request, journalist):
    """Signed in, the address is proved: the journalist may sign in with a
    password from now on. Other sessions end; this one goes on."""
    form = PasswordForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        journalist.set_password(form.cleaned_data["password"])
        journalist.save(update_fields=["password"])
        request.session[SESSION_HASH] = _session_hash(journalist)
        form, done = PasswordForm(), True
    return private(
        render(
            request,
            "press/set_password.html",
            {"form": form, "done": done, "journalist": journalist},
        )
    )


# As the addresses are stored (``Journalist.email``, ``PasswordAttempts``):
# a longer one is refused by the form, not by the database.
MAX_EMAIL_LENGTH = 254


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Professional e-mail"),
        max_length=MAX_EMAIL_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Professional e-mail"),
        max_length=MAX_EMAIL_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def _approved(request, email):
    return (
        _journalists(request)
        .filter(email=email.strip().lower(), status=Journalist.Status.APPROVED)
        .first()
    )


def _client(request):
    return get_client_ip_address(request) or ""


def _after_sign_in(request, journalist, next_url):
    next_url = _safe_next(request, next_url)
    if next_url:
        return redirect(next_url)
    with translation.override(journalist.language):
        return redirect(reverse("press:index"))


@sensitive_post_parameters()
def sign_in_view(request):
    """Password, or a sign-in link by e-mail: both for approved accounts only,
    and neither says whether an address has an account."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    password_form = SignInForm(prefix="password")
    link_form = LinkRequestForm(prefix="link")
    error = sent = False
    send = None
    status = 200
    if request.method == "POST" and "password-email" in request.POST:
        password_form = SignInForm(request.POST, prefix="password")
        if password_form.is_valid():
            email = password_form.cleaned_data["email"].strip().lower()
            # Per client only: each address has its lockout.
            if too_many(request, "press-password"):
                error, status = "limited", 429
            # Passwords are limited as the admin's are (django-axes' limit
            # and cool-off, per address and client); the sign-in link still
            # works. Counted before the check: parallel guesses included.
            elif PasswordAttempts.count(email, _client(request)) > (
                settings.AXES_FAILURE_LIMIT
            ):
                error = "locked"
            else:
                # Unknown, a hash all the same (``check_password``).
                journalist = _approved(request, email) or Journalist()
                if journalist.check_password(password_form.cleaned_data["password"]):
                    PasswordAttempts.forget(email, _client(request))
                    sign_in(request, journalist)
                    return _after_sign_in(request, journalist, next_url)
                error = True
    elif request.method == "POST":
        link_form = LinkRequestForm(request.POST, prefix="link")
        if link_form.is_valid() and too_many(
            request, "press-sign-in-link", link_form.cleaned_data["email"]
        ):
            error, status = "limited", 429
        elif link_form.is_valid():
            journalist = _approved(request, link_form.cleaned_data["email"])
            if journalist is not None:
                send = partial(send_sign_in_link, journalist, next_url or "")
            sent = True
    response = render(
        request,
        "press/sign_in.html",
        {
            "password_form": password_form,
            "link_form": link_form,
            "error": error,
            "sent": sent,
            "next": next_url or "",
        },
        status=status,
    )
    if send is not None:
        after_response(response, send)
    return private(response)


def sign_in_with_link(request, token):
    """A sign-in link: a button to press (mail scanners that open links do
    not use it up), then signed in, once."""
    try:
        data = signing.loads(
            token, salt=SIGN_IN_SALT, max_age=SIGN_IN_LINK_MINUTES * 60
        )
    except signing.BadSignature:
        data = None
    journalist = None
    if data is not None:
        journalist = (
            _journalists(request)
            .filter(pk=data.get("j"), status=Journalist.Status.APPROVED)
            .first()
        )
    if journalist is None or not constant_time_compare(
        journalist.sign_in_nonce, data.get("n", "")
    ):
        response = render(request, "press/link_expired.html", status=410)
        return private(response)
    if request.method == "POST":
        # Used up here, once, even by two clicks at the same moment: every
        # link sent before stops working too.
        # The link came by e-mail: the address is proved, if it was not.
        used = Journalist.objects.filter(
            pk=journalist.pk, sign_in_nonce=journalist.sign_in_nonce
        ).update(
            sign_in_nonce=new_nonce(),
            email_confirmed_at=Coalesce("email_confirmed_at", Now()),
        )
        if not used:
            response = render(request, "press/link_expired.html", status=410)
            return private(response)
        sign_in(request, journalist)
        return _after_sign_in(request, journalist, data.get("next"))
    return private(
        render(
            request,
            "press/sign_in_link.html",
            {"journalist": journalist},
        )
    )


@require_POST
def sign_out(request):
    request.session.pop(SESSION_KEY, None)
    request.session.pop(SESSION_HASH, None)
    return redirect(reverse("press:sign_in"))


# The area ------------------------------------------------------------------------


@require_GET
@journalist_required
def index(request, journalist):
    items = journalist.readable_items()
    pages = sorted(
        Page.objects.filter(pk__in=items).specific(), key=lambda page: items[page.pk]
    )
    entries = []
    for page in pages:
        approved = page.scheduled_revision.as_object()
        entries.append(
            {
                "page": approved,
                "url": reverse("press:item", args=(page.pk,)),
                "press_kit_url": _press_kit_url(page),
                "until": items[page.pk],
                "kind": _("Press release")
                if isinstance(page, PressRelease)
                else _("Partner statement"),
            }
        )
    calendar_url = journalist.address(
        reverse("press:calendar", args=(journalist.calendar_token,))
    )
    return private(
        render(
            request,
            "press/index.html",
            {
                "journalist": journalist,
                "entries": entries,
                "calendar_url": calendar_url,
            },
        )
    )


def _readable(journalist, page_id):
    """The page and its embargo, when the journalist may read it now; the
    public page once it is live; 404 otherwise (nothing said about others)."""
    page = get_object_or_404(Page, pk=page_id)
    if page.live:
        return page, None
    embargo = journalist.readable_items().get(page.pk)
    if embargo is None:
        raise Http404
    return page, embargo


def _reading(page, embargo, document_id=None):
    def url_in(language):
        with translation.override(language):
            return reverse("press:item", args=(page.pk,))

    return EmbargoedReading(
        until=embargo,
        url_in=url_in,
        document_url=lambda pk: reverse("press:document", args=(page.pk, pk)),
        press_kit_url=_press_kit_url(page),
        document_id=document_id,
    )


def _press_kit_url(page):
    if issubclass(page.specific_class, PressRelease):
        return reverse("press:press_kit", args=(page.pk,))
    return ""


@require_GET
@journalist_required
def item(request, journalist, page_id):
    page, embargo = _readable(journalist, page_id)
    if embargo is None:  # lifted: the public page
        url = page.specific.get_url(request=request)
        if url is None:  # a page no newsroom serves (the tree's root)
            raise Http404
        return redirect(url)
    approved = page.specific.scheduled_revision.as_object()
    _reading(page, embargo).start(request)
    response = approved.serve(request)
    if hasattr(response, "render"):
        response.render()
    access_log.record(request, page, journalist=journalist)
    return private(response)


@require_GET
@journalist_required
def item_document(request, journalist, page_id, document_id):
    page, embargo = _readable(journalist, page_id)
    if embargo is None:
        return lifted_document(document_id)
    approved = page.specific.scheduled_revision.as_object()
    attachments = getattr(approved, "attachments", None)
    if attachments is None or document_id not in {
        attachment.document_id for attachment in attachments.all()
    }:
        raise Http404
    document = get_object_or_404(get_document_model(), pk=document_id)
    _reading(page, embargo, document_id=document.pk).start(request)
    response = serve(request, document.pk, document.filename)
    access_log.record(request, page, journalist=journalist, document=document)
    return private(response)


@require_GET
@journalist_required
def item_press_kit(request, journalist, page_id):
    """A release's press kit, embargoed as the release is; once it is
    public, its public kit."""
    page, embargo = _readable(journalist, page_id)
    if embargo is None:
        return redirect("press_kit", release_id=page.pk)
    _reading(page, embargo).start(request)
    approved = page.specific.scheduled_revision.as_object()
    return kit_response(request, page, approved, journalist=journalist)


@require_GET
def calendar(request, token):
    """The journalist's own calendar of upcoming lifts: a secret address,
    for calendar applications, which sign in nowhere."""
    journalist = (
        _journalists(request)
        .filter(calendar_token=token, status=Journalist.Status.APPROVED)
        .first()
    )
    if journalist is None:
        raise Http404
    body = journalist_calendar(request, journalist)
    return private(HttpResponse(body, content_type=CALENDAR_TYPE))


TOKEN_PATTERN = r"[A-Za-z0-9_-]{43}"  # noqa: S105 (a shape, not a secret)
SIGN_IN_TOKEN_PATTERN = r"[A-Za-z0-9_:-]{20,400}"  # noqa: S105
# Compressed (a leading dot), with the name and outlet: longer.
CONFIRM_TOKEN_PATTERN = r"\.?[A-Za-z0-9_:-]{20,1600}"  # noqa: S105
