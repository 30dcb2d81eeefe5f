"""What search reads and quotes back: the other spellings a page is indexed
under, and the excerpt shown under each result. The engine is in
``search_backend``; the README's "Search" section says what differs between
PostgreSQL and SQLite."""

import re
import unicodedata

from django.utils.html import format_html, format_html_join

# "IL-2" is also found as "IL2": the joined form is indexed beside the text.
_HYPHENATED_CODE = re.compile(r"\b([A-Za-z]{1,10})-(\d+[A-Za-z]{0,4})\b")


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

    hits = {index for index, match in enumerate(tokens) if found(match)}
    if not hits:
        return ""
    first = max(0, min(hits) - width // 3)
    last = min(len(tokens), first + width)
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
