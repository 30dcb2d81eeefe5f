"""What search reads and quotes back: the reader's words as a query, the
other spellings a page is indexed under, and the excerpt shown under each
result. The engine is in ``search_backend``; docs/public-site.md ("Search")
says what differs between PostgreSQL and SQLite."""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join

from wagtail.search.query import And, Or, PlainText

# A code is letters then a number, maybe with a suffix: "IL-2", "IL2", "IL 2",
# "interleukine-2", "COVID-19". Its hyphenated spelling is also indexed joined
# ("IL2"): PostgreSQL reads "IL-2" as "IL" and the number -2, which no word of
# a query ever matches, so the joined form is what both engines share.
_LETTERS = r"[^\W\d_]+"
_NUMBER = r"\d+[^\W\d_]{0,4}"
_HYPHENATED_CODE = re.compile(rf"\b({_LETTERS})-({_NUMBER})\b")
_JOINED_CODE = re.compile(rf"({_LETTERS})({_NUMBER})")
_ALPHANUMERIC = re.compile(r"[^\W_]")
# The best results a search shows (the site's page and the read API), and the
# longest query it reads.
SEARCH_LIMIT = 50
QUERY_LENGTH = 200
# Codes beyond these are looked for as written: SQLite's FTS5 refuses a
# query nested much deeper.
MOST_CODES = 8


def joined_codes(text):
    """ "IL-2" as "IL2": how a reader's query names a code the index knows."""
    return _HYPHENATED_CODE.sub(r"\1\2", text)


def aliases(*texts):
    """The other spellings under which a reader looks for the codes in ``texts``."""
    found = dict.fromkeys(
        f"{letters}{rest}"
        for text in texts
        if text
        for letters, rest in _HYPHENATED_CODE.findall(text)
    )
    return " ".join(found)


@dataclass(frozen=True)
class ReaderQuery:
    """The reader's words as the search engine reads them (``query``), and
    the words an excerpt marks (``marked``)."""

    query: object
    marked: str


def _spellings(word, following):
    """``(spellings, words used, marked)`` of the word at hand: a code is
    looked for joined ("IL2") or as separate words ("IL 2"), however the
    reader wrote it."""
    if following and re.fullmatch(_LETTERS, word) and re.match(r"\d", following):
        joined = word + following
        if _JOINED_CODE.fullmatch(joined):
            # "IL" and "2" alone would mark every "il" of a French text.
            marks = [joined, *(part for part in (word, following) if len(part) > 2)]
            return [joined, f"{word} {following}"], 2, marks
    joined = joined_codes(word)
    if joined != word:
        return [joined, word], 1, [joined]
    code = _JOINED_CODE.fullmatch(word)
    if code:
        return [word, " ".join(code.groups())], 1, [word]
    return [word], 1, [word]


def reader_query(words):
    """The reader's ``words`` as a query for Wagtail's search: every word
    must be found, a code in any of its spellings. None when no word could
    ever be indexed (punctuation only)."""
    words = list(
        dict.fromkeys(word for word in words.split() if _ALPHANUMERIC.search(word))
    )
    plain, codes, marked = [], [], []
    index = 0
    while index < len(words):
        following = words[index + 1] if index + 1 < len(words) else None
        spellings, used, marks = _spellings(words[index], following)
        if len(spellings) > 1 and len(codes) < MOST_CODES:
            codes.append(Or([PlainText(text, operator="and") for text in spellings]))
            marked += marks
            index += used
        else:
            plain.append(words[index])
            marked.append(words[index])
            index += 1
    terms = [PlainText(" ".join(plain), operator="and")] if plain else []
    terms += codes
    if not terms:
        return None
    query = terms[0] if len(terms) == 1 else And(terms)
    return ReaderQuery(query, " ".join(marked))


def _folded(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _matches(token, word):
    """The word as the reader typed it, or a form that shares its stem."""
    if token == word or len(word) < 4:
        return token == word
    stem = max(4, min(len(word), len(token)) - 2)
    return len(token) >= stem and token[:stem] == word[:stem]


_TOKEN = re.compile(r"\w+(?:-\w+)*")


def excerpt(text, words, width=30):
    """About ``width`` words of ``text`` around the first of the reader's
    ``words`` it contains, each found word in ``<mark>`` ("" when none is)."""
    wanted = [_folded(word) for word in words.split() if word]
    if not text or not wanted:
        return ""
    tokens = list(_TOKEN.finditer(text))

    def found(match):
        folded = _folded(match.group())
        parts = [folded, folded.replace("-", ""), *folded.split("-")]
        return any(_matches(part, word) for part in parts for word in wanted)

    # Only the words up to the first found and around it are looked at.
    first_hit = next((i for i, match in enumerate(tokens) if found(match)), None)
    if first_hit is None:
        return ""
    first = max(0, first_hit - width // 3)
    last = min(len(tokens), first + width)
    hits = {index for index in range(first, last) if found(tokens[index])}
    start = tokens[first].start() if first else 0
    end = tokens[last - 1].end() if last < len(tokens) else len(text)
    pieces = ["… " if first else ""]
    position = start
    for index in range(first, last):
        match = tokens[index]
        if index in hits:
            pieces.append(text[position : match.start()])
            pieces.append(format_html("<mark>{}</mark>", match.group()))
            position = match.end()
    pieces.append(text[position:end])
    pieces.append(" …" if last < len(tokens) else "")
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def quote(passages, words):
    """The excerpt of the first of ``passages`` (``(text, language)``) that
    holds one of the reader's ``words``, and that passage's language."""
    for text, language in passages:
        found = excerpt(text, words)
        if found:
            return found, language
    return "", None
