"""Sentences of a release or statement that claim efficacy or significance.

Medical reviewers read each flagged sentence against the trial's primary
outcome and its result (``Trial.primary_outcome_result``) before approving.
The claim words are an editable list, in French and in English (the
"Claim words" setting); a word is matched at the start of a word, whatever
its accents and case ("significant" finds "Significantly").

A claim word that the sentence itself negates is not a claim: "did not show a
significant benefit" and "n'a pas montré de bénéfice significatif" state
that the result was not significant, and are not flagged. A negation counts
only close before the word (three words, articles and such not counted) and
within its clause (up to a comma, a semicolon or a word such as
"although"/"néanmoins"), so "Although the primary analysis did not show a
significant benefit, a subgroup showed a significant one" is flagged for its
second half, and "patients who did not receive placebo lived significantly
longer" is flagged. A negation that makes a comparison claims more, not
less ("no other drug has demonstrated", "jamais … aussi efficace", "no
doubt", "without exception", "not only"): flagged. "Efficacy" right after a verb
of study ("evaluated the efficacy", "a évalué l'efficacité", "to assess
efficacy") names what was measured, not a result: not flagged ("the study
demonstrates", "tested a breakthrough" are). Text is read
as readers see it: invisible characters (soft hyphens, zero-width spaces), ligatures
("ﬁ", from PDFs) and letters of other scripts that look Latin (Unicode's
confusables, from ``confusable_homoglyphs``) hide no word. When in doubt the
sentence is flagged: a reviewer's click costs less than a claim nobody
checked.
"""

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import strip_tags

from confusable_homoglyphs import confusables

from . import languages

# Words that negate a claim word standing close after them.
NEGATION = {
    "en": re.compile(
        r"not|no|non|never|neither|nor|without|failed|fail|fails|lack|cannot"
    ),
    "fr": re.compile(r"ne|n|pas|non|aucun|aucune|sans|ni|jamais|guere"),
}
# How many words before a claim word its negation may stand, not counting the
# small words below: "did not show a significant", "n'a pas montré de
# bénéfice significatif", "did not meet its primary efficacy endpoint".
REACH = {"en": 3, "fr": 3}
FILLER = {
    "en": re.compile(
        r"a|an|the|any|its|their|his|her|this|to|be|been|being|primary|overall|"
        r"statistically|clinically"
    ),
    "fr": re.compile(
        r"le|la|les|l|un|une|de|des|du|d|son|sa|ses|leur|leurs|principal|"
        r"principale|statistiquement|cliniquement|ete|etre"
    ),
}
# Verbs of study, in forms that are only verbs ("evaluated", "a évalué";
# not "study", "tests", "mesures", "évaluation"): "efficacy" right after one
# (small words aside) is what a trial measured, not what it found.
STUDIED = {
    "en": re.compile(
        r"(?:evaluat|investigat|examin|explor|measur)(?:e|es|ed|ing)"
        r"|assess(?:|es|ed|ing)|tested|testing|studied|studying"
    ),
    "fr": re.compile(
        r"(?:evalu|etudi|examin|explor)(?:er|e|ee|es|ees|ait|aient|ant|ent|ons)"
        r"|mesur(?:er|ee|ees|ait|aient|ant)|test(?:er|e|ee|es|ees|ait|ant)"
    ),
}
# What a trial measures, as a claim word names it ("efficacy", "efficacité").
MEASURED = re.compile(r"effica")
# Negations that compare or insist, and so claim more: "no other drug",
# "aucun autre traitement", "no doubt", "aucun doute", "without exception",
# "not only", "non seulement", "never … so", "jamais … aussi".
COMPARATIVE = re.compile(
    r"\b(?:no|aucun|aucune|nul|nulle|nothing|rien)\s+(?:other|autre|else|d\s+autre)\b"
    r"|\b(?:no|little|without|beyond|aucun|nul|sans)\s+(?:any\s+|aucun\s+)?"
    r"(?:doubt|question|doute)\b"
    r"|\b(?:without|sans)\s+exception\b"
    r"|\bnot\s+(?:only|just|merely)\b|\bnon\s+seulement\b"
    r"|\b(?:never|jamais)\b.*\b(?:so|as|aussi|si|autant)\b"
)
# Where a clause ends: punctuation, or a word that turns the sentence.
CLAUSE_BREAK = re.compile(
    r"[,;:()]|\b(?:although|though|but|however|whereas|while|yet|nevertheless|"
    r"neanmoins|cependant|mais|toutefois|pourtant|bien que|alors que|tandis que)\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


# Characters that change nothing a reader sees: soft hyphens, zero-width
# spaces and joiners, byte-order marks (Unicode's "format" characters).
INVISIBLE = "Cf"


@functools.cache
def _fold_character(character):
    """What ``character`` reads as, in the form words are compared in:
    compatibility forms decomposed ("ﬁ" is "fi"), invisible characters
    dropped, letters of other scripts that look Latin read as the Latin
    letter (a Cyrillic "ѕ" is an "s"), lower case, without accents."""
    if character in "’ʼ":
        return "'"
    text = ""
    for part in unicodedata.normalize("NFKC", character):
        if unicodedata.category(part) == INVISIBLE:
            continue
        if not part.isascii():
            found = confusables.is_confusable(part, preferred_aliases=["latin"])
            latin = [
                glyph["c"]
                for glyph in (found[0]["homoglyphs"] if found else [])
                if glyph["n"].startswith("LATIN")
            ]
            if latin:
                part = latin[0]
        text += part
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def folded_with_positions(text):
    """``folded(text)``, and for each of its characters the position in
    ``text`` of the character it comes from."""
    out, positions = [], []
    for index, character in enumerate(text):
        part = _fold_character(character)
        out.append(part)
        positions += [index] * len(part)
    return "".join(out), positions


def folded(text):
    """The form in which words and sentences are compared: what each
    character reads as (``_fold_character``), so that neither accents, case,
    invisible characters, ligatures nor look-alike letters hide a word."""
    return folded_with_positions(text)[0]


def says_something(text):
    """Is ``text`` a statement (at least three words), not a mark such as
    "." or " - " left to fill a field?"""
    return len(re.findall(r"[^\W\d_]{2,}", folded(text or ""))) >= 3


@dataclass
class Claim:
    """A flagged sentence: where it is, what it says, which words flag it."""

    language: str
    field: str
    sentence: str
    words: list = field(default_factory=list)

    @property
    def key(self):
        """Stable while the sentence does not change: a confirmation given to
        one wording does not carry over to another."""
        digest = hashlib.sha256(f"{self.language}|{self.sentence}".encode())
        return digest.hexdigest()[:16]

    def as_record(self):
        return {
            "key": self.key,
            "language": self.language,
            "field": self.field,
            "sentence": self.sentence,
            "words": self.words,
        }


def _word_pattern(word):
    parts = [re.escape(part) for part in folded(word).split()]
    return r"\b" + r"\s+".join(parts) + r"\w*"


def _plain(clause):
    # "didn't" reads "did not"; "n'a pas", "n’ait pas": the elided "ne" counts.
    return clause.replace("n't", " not").replace("'", " ")


def _words_before(clause, language):
    return [
        word
        for word in re.findall(r"[\w-]+", _plain(clause))
        if not FILLER[language].fullmatch(word)
    ]


def negated(clause, language):
    """Does ``clause`` (the words before a claim word, folded) negate it?"""
    if COMPARATIVE.search(_plain(clause)):
        return False
    near = _words_before(clause, language)[-REACH[language] :]
    return any(NEGATION[language].fullmatch(word) for word in near)


def studied(clause, word, language):
    """Is ``word`` (a claim word, folded) what a trial measured: "efficacy"
    right after a verb of study ("evaluated the")?"""
    words = _words_before(clause, language)
    return (
        bool(MEASURED.match(word))
        and bool(words)
        and bool(STUDIED[language].fullmatch(words[-1]))
    )


def claim_words_in(sentence, words, language):
    """The claim words ``sentence`` asserts, leaving out negated ones."""
    text, positions = folded_with_positions(sentence)
    found = []
    for word in words:
        for match in re.finditer(_word_pattern(word), text):
            before = text[: match.start()]
            clause_start = max(
                (m.end() for m in CLAUSE_BREAK.finditer(before)), default=0
            )
            clause = before[clause_start:]
            if negated(clause, language) or studied(clause, match[0], language):
                continue
            found.append(
                sentence[positions[match.start()] : positions[match.end() - 1] + 1]
            )
    return list(dict.fromkeys(found))


def sentences(text):
    """Plain sentences of a rich text or plain text field."""
    text = re.sub(r"</(p|h\d|li|blockquote)>", "\n", text or "")
    plain = strip_tags(text).replace("\xa0", " ")
    return [s.strip() for s in SENTENCE_END.split(plain) if s.strip()]


# Every text of a release or statement that readers, search engines and
# social networks show (the description is also the feeds' and JSON-LD's).
FIELDS = (
    "title",
    "standfirst",
    "body",
    "seo_title",
    "search_description",
    "lead_image_caption",
    "editors_note",
)


def find_claims(page, words_by_language):
    """Every flagged sentence of ``page`` (a release or statement) and of its
    corrections' notes, in each language it has text in."""
    texts = [(name, page, name) for name in getattr(page, "claims_fields", FIELDS)]
    corrections = getattr(page, "corrections", None)
    if corrections is not None:
        texts += [("correction", c, "note") for c in corrections.all()]
    claims = {}
    for language in languages.CODES:
        words = words_by_language.get(language) or []
        if not words:
            continue
        for label, holder, name in texts:
            value = getattr(holder, f"{name}_{language}", "") or ""
            for sentence in sentences(value):
                found = claim_words_in(sentence, words, language)
                if found:
                    claim = Claim(language, label, sentence, found)
                    # A sentence said twice (a title as its SEO title) once.
                    claims.setdefault(claim.key, claim)
    return list(claims.values())
