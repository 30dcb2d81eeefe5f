"""Press contacts as vCards (vCard 4.0, RFC 6350), in the reader's language.

A journalist saves a contact from its page (``/fr/vcard/<id>.vcf``) or finds
the release's contacts in its press kit. The card is built and written by
``vobject``: values escaped (section 3.4), CRLF line ends. A translated text
(the role) is marked with the language it is in (``LANGUAGE=``), which is the
reader's unless only the other language was written.

vobject 0.9.9 folds a line only when it has at least 75 *characters*, so a
shorter line of accented text can pass 75 octets unfolded (its
``foldOneLine``); it is asked for unfolded lines and ``fold`` cuts them at 75
octets without cutting a character (section 3.2).
"""

import datetime
import math
import re

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.views.decorators.http import require_GET

import vobject

from . import languages
from .models import PressContact

LINE_OCTETS = 75
MEDIA_TYPE = "text/vcard; charset=utf-8"


def fold(line):
    """``line`` cut into lines of at most 75 octets, each continuation line
    starting with a space, never inside a UTF-8 character."""
    pieces, current, size = [], "", 0
    for character in line:
        octets = len(character.encode("utf-8"))
        limit = LINE_OCTETS if not pieces else LINE_OCTETS - 1
        if size + octets > limit:
            pieces.append(current)
            current, size = "", 0
        current += character
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)


def tel_uri(number):
    """``tel:`` URI of a number as press offices write it ("+33 4 66 68 33 04"
    gives ``tel:+33466683304``)."""
    return "tel:" + re.sub(r"[^\d+]", "", number)


def _add(card, name, value, uri=False, **params):
    """A ``name`` line of ``value`` with ``params`` (lists of values).

    vobject escapes every value as TEXT; a URI (``uri``: TEL, URL, UID) is
    written as it is, as before: RFC 6350's grammar gives URIs no backslash
    escapes (section 4.2), and the newsroom's addresses hold no comma nor
    semicolon that a reader could take for a separator."""
    line = card.add(name)
    line.value = value
    line.params.update(params)
    line.encoded = uri
    return line


def vcard(contact, language, url=None):
    """The vCard text of ``contact`` for a reader of ``language``."""
    card = vobject.vCard()
    _add(card, "version", "4.0")
    _add(card, "fn", str(contact.text_in("title", language)))
    organisation = contact.organisation
    # ORG is structured (organisation;unit): its name is one component.
    _add(
        card,
        "org",
        [str(organisation.name_in(language))],
        LANGUAGE=[languages.shown_in(organisation, "name", language)],
    )
    role = contact.text_in("role", language)
    if role:
        _add(
            card,
            "title",
            str(role),
            LANGUAGE=[languages.shown_in(contact, "role", language)],
        )
    for pref, number in enumerate(
        (number for number in (contact.phone, contact.phone_secondary) if number),
        start=1,
    ):
        _add(
            card,
            "tel",
            tel_uri(number),
            uri=True,
            VALUE=["uri"],
            TYPE=["work", "voice"],
            PREF=[str(pref)],
        )
    if contact.email:
        _add(card, "email", str(contact.email), TYPE=["work"])
    if url:
        _add(card, "url", url, uri=True)
    # The newsroom's contacts answer in both languages: the reader's first.
    for pref, code in enumerate([language, *languages.others(language)], start=1):
        _add(card, "lang", code, PREF=[str(pref)])
    _add(card, "uid", f"urn:uuid:{contact.translation_key}", uri=True)
    changed = contact.last_published_at or contact.latest_revision_created_at
    if changed:
        stamp = changed.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        _add(card, "rev", stamp)
    # Unfolded (no line is as long as infinity), then folded by octets.
    lines = card.serialize(lineLength=math.inf).split("\r\n")[:-1]
    return "".join(fold(line) + "\r\n" for line in lines)


def filename(contact, language):
    slug = getattr(contact, f"slug_{language}", None) or contact.slug
    return f"{slug}.vcf"


def contact_url(contact, request, language):
    with translation.override(language):
        return request.build_absolute_uri(contact.get_url(request=request))


@require_GET
def contact_vcard(request, contact_id):
    """The vCard of a public press contact, in the language of the address."""
    contact = get_object_or_404(
        PressContact.objects.published().select_related("organisation"),
        pk=contact_id,
    )
    language = translation.get_language() or languages.DEFAULT
    if language not in languages.CODES:
        raise Http404
    response = HttpResponse(
        vcard(contact, language, url=contact_url(contact, request, language)),
        content_type=MEDIA_TYPE,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{filename(contact, language)}"'
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
