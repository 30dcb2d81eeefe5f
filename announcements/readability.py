"""How easy a lay summary is to read, per language, shown to its editor.

The score is Flesch's reading ease, with each language's own constants, as
textstat computes them (syllables from Pyphen's dictionaries, and for English
from the CMU pronouncing dictionary, both bundled: nothing is downloaded):

- French: Kandel and Moles' adaptation (1958),
  207 − 1.015 × words per sentence − 73.6 × syllables per word;
- English: Flesch (1948),
  206.835 − 1.015 × words per sentence − 84.6 × syllables per word.

Higher is easier; 60 to 70 reads as plain language, under 30 as a scientific
paper. The institution sets the target (``Institution.lay_reading_target``).
Beside the score: the words per sentence, the sentences over 20 words, and
the jargon still in the text (the glossary's terms, and common trial words),
each marked as explained by the glossary or not.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from textstat.textstat import textstatistics

from . import languages

FORMULAS = {
    "fr": _("Flesch reading ease, French adaptation by Kandel and Moles"),
    "en": _("Flesch reading ease"),
}
LONG_SENTENCE = 20
# Trial words patients rarely know: flagged until the glossary explains them.
JARGON = {
    "fr": (
        "aveugle",
        "biomarqueur",
        "cohorte",
        "critère principal",
        "critère d'évaluation",
        "critère d’évaluation",
        "efficacité",
        "événement indésirable",
        "hazard ratio",
        "intervalle de confiance",
        "placebo",
        "pré-planifiée",
        "randomisation",
        "randomisé",
        "significatif",
        "tolérance",
    ),
    "en": (
        "biomarker",
        "cohort",
        "confidence interval",
        "double-blind",
        "efficacy",
        "endpoint",
        "hazard ratio",
        "placebo",
        "pre-planned",
        "randomised",
        "randomized",
        "significant",
        "tolerability",
    ),
}
_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")


@dataclass
class Readability:
    language: str
    score: int
    words_per_sentence: float
    long_sentences: int
    # [(word as written, explained by the glossary)]
    jargon: list = field(default_factory=list)
    target: int | None = None

    @property
    def formula(self):
        return FORMULAS[self.language]

    @property
    def language_name(self):
        return languages.NAMES[self.language]

    @property
    def meets_target(self):
        return self.target is None or self.score >= self.target


def _words(text):
    return re.findall(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*", text)


def jargon_in(text, language, glossary=()):
    """``[(word, explained)]``: the jargon ``text`` uses, in the order of the
    text; a word inside a term the glossary explains ("aveugle" in "double
    aveugle") is that term."""
    found = {}
    explained = []  # the spans of the text the glossary explains
    for term in glossary:
        pattern = term.pattern(language)
        for match in pattern.finditer(text) if pattern else ():
            explained.append(match.span())
            found.setdefault(match.group().lower(), (match.start(), True))
    for word in JARGON[language]:
        for match in re.finditer(rf"(?<!\w){re.escape(word)}\w*", text, re.IGNORECASE):
            start, end = match.span()
            if not any(start < e and s < end for s, e in explained):
                found.setdefault(match.group().lower(), (start, False))
                break
    return [
        (word, is_explained)
        for word, (_start, is_explained) in sorted(
            found.items(), key=lambda item: item[1][0]
        )
    ]


def measure(text, language, glossary=(), target=None):
    """The readability of ``text`` (plain text, in ``language``), or None
    when it has no words."""
    words = _words(text)
    if not words:
        return None
    stats = textstatistics()
    stats.set_lang(language)
    sentences = [s for s in _SENTENCE.findall(text) if _words(s)]
    lengths = [len(_words(sentence)) for sentence in sentences]
    return Readability(
        language=language,
        score=round(stats.flesch_reading_ease(text)),
        words_per_sentence=round(len(words) / max(len(sentences), 1), 1),
        long_sentences=sum(1 for length in lengths if length > LONG_SENTENCE),
        jargon=jargon_in(text, language, glossary),
        target=target,
    )
