"""What readers type into an address, made harmless before it reaches a query.

Query parameters (``?q=``, ``?trial=``, ``?organisation=``, ``?page=``) are free
text from anyone: each is read through ``query_param``, which keeps one line of
bounded length without control characters (PostgreSQL refuses a NUL byte in
any text; the others only ever come from robots). Identifiers in a path (an NCT
number, an embargo token) have a fixed shape that the URL converters of
``announcements.urls`` check, so a malformed one is a 404 before any query.
"""

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters, NUL included, and DEL.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# SQLite's FTS5 reads a double quote as syntax: the full-text backend quotes
# each word, and a quote inside one ends the string. No engine indexes it as
# part of a word, so it only ever separates words.
_NOT_A_WORD = re.compile('"')


# For a field of one line (a name, an outlet) typed into a form: a line
# break there would end up in a mail's header or a log line.
single_line = RegexValidator(
    _CONTROL,
    inverse_match=True,
    message=_("Write it on one line, without line breaks or control characters."),
    code="single_line",
)


def clean_text(value, max_length):
    """``value`` on one line, control characters as spaces, spaces collapsed,
    at most ``max_length`` characters."""
    return " ".join(_CONTROL.sub(" ", value or "").split())[:max_length]


def query_param(request, name, max_length):
    """The query parameter ``name`` of ``request``, cleaned ("" when absent)."""
    return clean_text(request.GET.get(name, ""), max_length)


def search_words(query):
    """The reader's words as the full-text backend should read them: words
    only, never query syntax ("" when nothing is left to search for)."""
    return " ".join(_NOT_A_WORD.sub(" ", query).split())
