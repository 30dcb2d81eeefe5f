"""The search engine: Wagtail's database backend, ranking in the index.

Wagtail's database backends rank by joining every matching row of the
searched table to its index entry (SQLite even runs the full-text match
again for each row), which cost seconds a search at 10,000 releases. Here
(``IndexFirst``) a search ranks the matching index entries alone, best
first, then reads only the objects of the page of results asked for;
counting and facets rank nothing. What may be searched stays Wagtail's: a
queryset of filters on ``FilterField``s, ``search()`` and ``autocomplete()``.

What an entry holds (``Texts``): its titles, each in its language, and a
body with every text, titles included, so that a match is read from the
body's index alone. On PostgreSQL, French fields are indexed with a French
configuration and English fields with an English one, both
accent-insensitive (``unaccent``; migration 0009); a reader's word matches
either language's stem or the word itself, and the reader's language weighs
most in the rank. On SQLite, FTS5 folds accents but does not stem. On both,
a title match ranks before a match in the body only.
"""

import re
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import models
from django.db.models import Count, Exists, F, FloatField, OuterRef, Value
from django.db.models.functions import Cast
from django.db.models.sql.subqueries import InsertQuery
from django.utils import translation
from django.utils.functional import cached_property

from modelsearch.backends.database.postgres.postgres import (
    EMPTY_VECTOR,
    IndexEntry,
    ObjectIndexer,
    PostgresAutocompleteQueryCompiler,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.index import SearchField
from modelsearch.query import And, Or, Phrase, PlainText
from modelsearch.utils import (
    ADD,
    get_content_type_pk,
    get_descendants_content_types_pks,
)

from . import languages

# Text-search configurations created by migration 0009: each language's
# stemmer after ``unaccent``, and ``simple`` (no stemming) for names and codes.
CONFIGS = {"fr": "newsroom_french", "en": "newsroom_english"}
NEUTRAL = "newsroom_simple"
# PostgreSQL's weight labels: French text, English text, names and codes.
LABELS = {"fr": "A", "en": "B", None: "C"}
# How much a word found in each label's text weighs, for a reader of each
# language: theirs fully, names and codes nearly, the other language less.
READER_WEIGHT, NEUTRAL_WEIGHT, OTHER_WEIGHT = 1.0, 0.7, 0.4
TITLE_FIELDS = {"title", *(f"title_{code}" for code in CONFIGS)}


def language_of(field_name):
    """``body_fr`` is French, ``body_en`` English, anything else neutral (None)."""
    code = field_name.rpartition("_")[2]
    return code if code in CONFIGS else None


class Texts:
    """What an index entry holds of the indexer's object, as ``[(text,
    language)]``: ``titles``, its title in each language (or its one title),
    and ``body``, every text of its search fields, titles included."""

    def __init__(self, indexer):
        obj = indexer.obj
        titled = False
        others = []
        for field in indexer.search_fields:
            for found in indexer.prepare_field(obj, field):
                current, value = found[0], found[-1]
                if not isinstance(current, SearchField):
                    continue
                if current is field and field.field_name in TITLE_FIELDS:
                    titled = True
                else:
                    others.append((value, language_of(current.field_name)))
        self.titles = self._titles(obj) if titled else []
        self.body = self.titles + others

    @staticmethod
    def _titles(obj):
        translated = [(getattr(obj, f"title_{code}", None), code) for code in CONFIGS]
        found = [(text.strip(), code) for text, code in translated if text]
        return found or [(str(obj.title or "").strip(), None)]


# PostgreSQL --------------------------------------------------------------


class LanguageIndexer(ObjectIndexer):
    """Indexes each text with its own language's configuration and label."""

    @cached_property
    def texts(self):
        return Texts(self)

    def _vector(self, texts):
        vectors = [
            SearchVector(
                Value(text, output_field=models.TextField()),
                weight=LABELS[language],
                config=CONFIGS.get(language, NEUTRAL),
            )
            for text, language in texts
            if text and text.strip()
        ]
        return ADD(vectors) if vectors else EMPTY_VECTOR

    @cached_property
    def title(self):
        return self._vector(self.texts.titles)

    @cached_property
    def body(self):
        return self._vector(self.texts.body)


class LanguageIndex(PostgresIndex):
    def add_items(self, model, objs):
        statement = self.insert_statement(model, objs)
        if statement is None:
            return
        with self.write_connection.cursor() as cursor:
            cursor.execute(*statement)
        self._refresh_title_norms()

    def insert_statement(self, model, objs):
        """``(sql, params)`` writing the index entries of ``objs`` (the
        benchmark's builder sends it itself), or None if there are none.

        modelsearch's PostgresIndex.add_items, with LanguageIndexer: the
        indexer class is not a hook there."""
        if not model.get_search_fields():
            return None
        indexers = [LanguageIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return None
        content_type_pk = get_content_type_pk(model)
        compiler = InsertQuery(IndexEntry).get_compiler(
            connection=self.write_connection
        )
        rows = []
        params = []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            vectors = []
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(
                    IndexEntry._meta.get_field(name), getattr(indexer, name)
                )
                sql, vector_params = value.as_sql(compiler, self.write_connection)
                vectors.append(sql)
                params.extend(vector_params)
            params.extend((indexer.title_text, indexer.body_text))
            rows.append(f"(%s, %s, {', '.join(vectors)}, 1.0, %s, %s)")
        return (
            f"""
            INSERT INTO {IndexEntry._meta.db_table} (content_type_id,
                object_id, title, autocomplete, body, title_norm,
                title_text, body_text)
            (VALUES {", ".join(rows)})
            ON CONFLICT (content_type_id, object_id)
            DO UPDATE SET title = EXCLUDED.title,
                          title_norm = 1.0,
                          autocomplete = EXCLUDED.autocomplete,
                          body = EXCLUDED.body,
                          title_text = EXCLUDED.title_text,
                          body_text = EXCLUDED.body_text
            """,
            params,
        )


def reader_weights():
    """``ts_rank``'s weights (labels D, C, B, A) for the reader's language."""
    reader = translation.get_language() or languages.DEFAULT
    weights = {
        label: NEUTRAL_WEIGHT
        if language is None
        else READER_WEIGHT
        if reader.startswith(language)
        else OTHER_WEIGHT
        for language, label in LABELS.items()
    }
    return "{" + ",".join(str(weights.get(label, 0.1)) for label in "DCBA") + "}"


# Both databases ------------------------------------------------------------


def is_text(query):
    """Words, phrases and their combinations: what ``IndexFirst`` ranks
    (anything else, such as ``MATCH_ALL`` or a negation, is Wagtail's)."""
    if isinstance(query, (PlainText, Phrase)):
        return True
    if isinstance(query, (And, Or)):
        return all(is_text(subquery) for subquery in query.subqueries)
    return False


class IndexFirst:
    """A query compiler that ranks the matching index entries, then reads
    only the objects asked for. Subclasses say where the entries are
    (``matching``, ``entry``: the path from them to an ``IndexEntry``'s
    fields) and how they rank (``rank``, ``BEST_FIRST``)."""

    entry = ""
    BEST_FIRST = "-"
    # Ranking reads each match's texts: its cost would grow with the archive
    # for a word most items use. A search ranks its newest matches only, as
    # many as a reader could page through; more matches than this is a
    # search to narrow with another word (the search page says so).
    RANKED_MATCHES = 1000

    def ranks_in_index(self):
        return self.fields is None and is_text(self.query)

    def _get_order_by(self):
        # Wagtail's check that a search is ordered by FilterFields only: here
        # the queryset orders itself in the database (``search``), by any
        # field, such as the "title_fr" modeltranslation makes of the
        # admin's "title".
        if self.ranks_in_index():
            return iter(())
        return super()._get_order_by()

    def matching(self, config):
        raise NotImplementedError

    def rank(self, config):
        raise NotImplementedError

    def _pk_of(self, object_id):
        """An entry's ``object_id`` (text) as the searched model's key."""
        pk = self.queryset.model._meta.pk
        while pk.remote_field:  # a page type's key is its link to Page
            pk = pk.target_field
        return Cast(object_id, output_field=pk.__class__())

    def entries(self, config, of_queryset=True):
        """The matching index entries of the objects the queryset holds (or
        of every object of its model)."""
        content_types = get_descendants_content_types_pks(self.queryset.model)
        entries = self.matching(config).filter(
            **{f"{self.entry}content_type_id__in": content_types}
        )
        if not of_queryset:
            return entries
        searched = self.queryset.order_by().filter(
            pk=self._pk_of(OuterRef(f"{self.entry}object_id"))
        )
        return entries.filter(Exists(searched))

    def ranked(self, config, start, stop):
        """``[(pk, score)]`` of the objects from ``start`` to ``stop``, best first."""
        pk = self.queryset.model._meta.pk
        # The newest matches: for a common word the database walks the key's
        # index back until it has them (their number, not the archive's
        # size, sets the cost); for a rare one it reads them all from the
        # text index.
        newest = (
            self.entries(config)
            .order_by(f"-{self.entry}id")
            .values("pk")[: self.RANKED_MATCHES]
        )
        rows = (
            self.matching(config)
            .filter(pk__in=newest)
            .annotate(_score=self.rank(config))
            .order_by(f"{self.BEST_FIRST}_score", f"-{self.entry}id")
            .values_list(f"{self.entry}object_id", "_score")
        )[start:stop]
        return [(pk.to_python(object_id), score) for object_id, score in rows]

    def search(self, config, start, stop, score_field=None, **kwargs):
        """The matching objects, unranked: what counting and facets read."""
        if not self.ranks_in_index():
            return super().search(config, start, stop, score_field, **kwargs)
        # The queryset filters itself: the entries need not look at it again.
        matches = self.entries(config, of_queryset=False).values(
            object_pk=self._pk_of(f"{self.entry}object_id")
        )
        found = self.queryset.filter(pk__in=matches)
        if not found.query.order_by:
            found = found.order_by("-pk")
        if score_field is not None:
            found = found.annotate(
                **{score_field: Value(None, output_field=FloatField())}
            )
        return found[start:stop]


class IndexFirstResults:
    def _do_search(self):
        compiler = self.query_compiler
        if not (compiler.ranks_in_index() and compiler.order_by_relevance):
            return super()._do_search()
        ranked = compiler.ranked(
            compiler.get_config(self.backend), self.start, self.stop
        )
        found = compiler.queryset.in_bulk([pk for pk, _score in ranked])
        results = []
        for pk, score in ranked:
            if pk in found:
                if self._score_field:
                    setattr(found[pk], self._score_field, score)
                results.append(found[pk])
        return results

    def _do_count(self):
        compiler = self.query_compiler
        if not compiler.ranks_in_index():
            return super()._do_count()
        entries = compiler.entries(compiler.get_config(self.backend))
        if compiler.order_by_relevance:
            entries = entries.values("pk")[: compiler.RANKED_MATCHES]
        count = max(0, entries.count() - self.start)
        return count if self.stop is None else min(count, self.stop - self.start)

    def facet(self, field_name):
        """By content type (the admin's page search), counted in the index:
        an entry's content type is its object's."""
        compiler = self.query_compiler
        if not (
            compiler.ranks_in_index()
            and field_name in ("content_type", "content_type_id")
            and compiler._get_filterable_field(field_name)
            and (self.start, self.stop) == (0, None)
        ):
            return super().facet(field_name)
        content_type = f"{compiler.entry}content_type_id"
        counts = dict(
            compiler.entries(compiler.get_config(self.backend))
            .values_list(content_type)
            .annotate(count=Count("pk"))
            .order_by("-count", content_type)
        )
        # Every result has a content type: their number is known too.
        self._count_cache = sum(counts.values())
        if compiler.order_by_relevance:
            self._count_cache = min(self._count_cache, compiler.RANKED_MATCHES)
        return counts


class PostgresIndexFirst(IndexFirst):
    # The entries' vector a match is read from, through its GIN index.
    vector = None

    def matching(self, config):
        return IndexEntry._default_manager.filter(
            **{self.vector: self.build_tsquery(self.query, config=config)}
        )


class LanguageQueryCompiler(PostgresIndexFirst, PostgresSearchQueryCompiler):
    """A reader's word matches its French stem, its English stem or itself."""

    vector = "body"

    def build_tsquery_content(self, query, config=None, invert=False):
        if not isinstance(query, PlainText):
            return super().build_tsquery_content(query, config, invert)
        terms = [term for term in re.split(r"[\s\-]+", query.query_string) if term]
        if not terms:
            return None
        matches = [
            reduce(
                or_,
                (
                    SearchQuery(
                        Lexeme(term, invert=invert), search_type="raw", config=c
                    )
                    for c in (*CONFIGS.values(), NEUTRAL)
                ),
            )
            for term in terms
        ]
        operator = (lambda a, b: a & b) if query.operator == "and" else or_
        return reduce(operator, matches)

    def rank(self, config):
        tsquery = self.build_tsquery(self.query, config=config)
        weights = reader_weights()
        return SearchRank(F("title"), tsquery, weights=weights) * (
            1 + F("title_norm")
        ) + SearchRank(F("body"), tsquery, weights=weights)


class LanguageAutocompleteCompiler(
    PostgresIndexFirst, PostgresAutocompleteQueryCompiler
):
    vector = "autocomplete"

    def rank(self, config):
        return SearchRank(F("autocomplete"), self.build_tsquery(self.query, config))


class LanguagePostgresResults(IndexFirstResults, PostgresSearchResults):
    pass


class LanguagePostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = LanguageQueryCompiler
    autocomplete_query_compiler_class = LanguageAutocompleteCompiler
    results_class = LanguagePostgresResults
    index_class = LanguageIndex

    def __init__(self, params):
        super().__init__(params)
        self.config = NEUTRAL
