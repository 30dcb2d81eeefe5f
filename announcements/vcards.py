"""Press contacts as vCards, in the reader's language.

A journalist saves a contact from its page (``/fr/vcard/<id>.vcf``) or finds
the release's contacts in its press kit. The cards are vCard 3.0 (RFC 2426):
the version Apple Contacts, Google Contacts and Outlook import most reliably;
4.0 cards without ``N`` were refused. The card is built and written by
``vobject``: values escaped, CRLF line ends. Its text is what the contact's
page shows a reader of that language, with the same fallback (a role written
in English only is on the French card too), marked with the language it is
in (``LANGUAGE=``).

3.0 requires a structured name (``N``). A person's family name is the word in
capitals when the name is written the French way ("Michaël VIDEMENT"), else
its last word. An office is a card of an organisation: empty ``N``, the office
as ``FN`` and as the organisation's unit, and ``X-ABShowAs:COMPANY``, the mark
of a company card that Apple and Google write and read (``KIND:org`` is 4.0's;
a 3.0 card may not carry it).

vobject 0.9.9 folds a line only when it has at least 75 *characters*, so a
shorter line of accented text can pass 75 octets unfolded (its
``foldOneLine``); it is asked for unfolded lines and ``fold`` cuts them at 75
octets without cutting a character.
"""

import datetime
import math

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


def structured_name(name):
    """vobject's ``N`` of a person's ``name``: family name in capitals when
    written so ("Michaël VIDEMENT"), else the last word."""
    words = name.split()
    family = [word for word in words if word.isupper() and len(word) > 1]
    if not family or len(family) == len(words):
        family = words[-1:]
    given = [word for word in words if word not in family]
    return vobject.vcard.Name(family=" ".join(family), given=" ".join(given))


def _add(card, name, value, **params):
    """A ``name`` line of ``value`` with ``params`` (lists of values)."""
    line = card.add(name)
    line.value = value
    line.params.update(params)
    return line


def vcard(contact, language, url=None):
    """The vCard text of ``contact`` for a reader of ``language``."""
    card = vobject.vCard()
    _add(card, "version", "3.0")
    name = str(contact.text_in("title", language))
    organisation = contact.organisation
    organisation_name = [str(organisation.name_in(language))]
    if contact.is_office:
        _add(card, "n", vobject.vcard.Name())
        organisation_name.append(name)
    else:
        _add(card, "n", structured_name(name))
    _add(card, "fn", name)
    # ORG is structured (organisation;unit): its name is one component.
    _add(
        card,
        "org",
        organisation_name,
        LANGUAGE=[languages.shown_in(organisation, "name", language)],
    )
    if contact.is_office:
        _add(card, "x-abshowas", "COMPANY")
    role = contact.text_in("role", language)
    if role:
        _add(
            card,
            "title",
            str(role),
            LANGUAGE=[languages.shown_in(contact, "role", language)],
        )
    numbers = [number for number in (contact.phone, contact.phone_secondary) if number]
    for position, number in enumerate(numbers):
        kinds = ["WORK", "VOICE"] if position else ["WORK", "VOICE", "PREF"]
        _add(card, "tel", number, TYPE=kinds)
    if contact.email:
        _add(card, "email", str(contact.email), TYPE=["INTERNET", "WORK"])
    if url:
        _add(card, "url", url)
    _add(card, "uid", f"urn:uuid:{contact.translation_key}")
    changed = contact.last_published_at or contact.latest_revision_created_at
    if changed:
        stamp = changed.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
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
