"""The search engine: Wagtail's database backend, with per-language
text-search configurations on PostgreSQL.

On PostgreSQL, French fields are indexed with a French configuration and
English fields with an English one, both accent-insensitive (``unaccent``;
migration 0009), and a reader's word matches either language's stem or the word
itself. On SQLite, FTS5 folds accents but does not stem.
"""

import re
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, models
from django.db.models.sql.subqueries import InsertQuery
from django.utils.functional import cached_property

from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.backends.database.postgres.postgres import (
    EMPTY_VECTOR,
    IndexEntry,
    ObjectIndexer,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.query import PlainText
from modelsearch.utils import ADD, get_content_type_pk

# Text-search configurations created by migration 0009: each language's
# stemmer after ``unaccent``, and ``simple`` (no stemming) for names and codes.
CONFIGS = {"fr": "newsroom_french", "en": "newsroom_english"}
NEUTRAL = "newsroom_simple"


def config_of(field):
    """``body_fr`` is French, ``body_en`` English, anything else neutral."""
    return CONFIGS.get(field.field_name.rpartition("_")[2], NEUTRAL)


class LanguageIndexer(ObjectIndexer):
    """Indexes each field with its own language's configuration."""

    def __init__(self, obj, backend):
        super().__init__(obj, backend)
        self._prepared = {}

    def prepare_field(self, obj, field):
        # The title, body and autocomplete vectors and the plain texts each go
        # through every field: each field is read once (rich text is parsed).
        key = (id(obj), id(field))
        if key not in self._prepared:
            self._prepared[key] = list(super().prepare_field(obj, field))
        return self._prepared[key]

    def texts(self, name):
        """``[(text, weight, config)]`` of the "title", "body" or
        "autocomplete" vector, without empty texts."""
        for field in self.search_fields:
            for current, weight, value in self.prepare_field(self.obj, field):
                text = value.strip()
                if not text:
                    continue
                if name == "autocomplete":
                    if isinstance(current, AutocompleteField):
                        yield text, weight, self.autocomplete_config
                elif isinstance(current, SearchField) and (
                    (current.field_name == "title") == (name == "title")
                ):
                    yield text, weight, config_of(current)

    @cached_property
    def title(self):
        return vector(self.texts("title"))

    @cached_property
    def body(self):
        return vector(self.texts("body"))

    @cached_property
    def autocomplete(self):
        return vector(self.texts("autocomplete"))


def vector(texts):
    """The search vector of ``[(text, weight, config)]``."""
    vectors = [
        SearchVector(
            models.Value(text, output_field=models.TextField()),
            weight=weight,
            config=config,
        )
        for text, weight, config in texts
    ]
    return ADD(vectors) if vectors else EMPTY_VECTOR


class VectorSQL:
    """The SQL and parameters of one vector of an index entry, compiled once
    for each list of weights and configurations: the entries of a bulk write
    (``update_index``, the benchmark's builder) differ only in their texts."""

    def __init__(self, compiler, connection):
        self.compiler = compiler
        self.connection = connection
        self.compiled = {}

    def __call__(self, name, texts):
        texts = list(texts)
        shape = (name, tuple((weight, config) for _text, weight, config in texts))
        if shape not in self.compiled:
            # Compiled with stand-ins, whose places in the parameters the
            # texts then take.
            slots = [f"\0text {number}" for number in range(len(texts))]
            value = self.compiler.prepare_value(
                IndexEntry._meta.get_field(name),
                vector(
                    (slot, weight, config)
                    for slot, (weight, config) in zip(slots, shape[1], strict=True)
                ),
            )
            sql, params = value.as_sql(self.compiler, self.connection)
            where = {slot: number for number, slot in enumerate(slots)}
            self.compiled[shape] = (
                sql,
                [
                    (where.get(param) if isinstance(param, str) else None, param)
                    for param in params
                ],
            )
        sql, params = self.compiled[shape]
        return sql, [
            param if number is None else texts[number][0] for number, param in params
        ]


class LanguageIndex(PostgresIndex):
    def add_items(self, model, objs):
        # modelsearch's PostgresIndex.add_items, with LanguageIndexer: the
        # indexer class is not a hook there.
        statement = self.insert_statement(model, objs)
        if statement is None:
            return
        with self.write_connection.cursor() as cursor:
            cursor.execute(*statement)
        self._refresh_title_norms()

    def insert_statement(self, model, objs):
        """``(sql, params)`` writing the index entries of ``objs``, or None
        when there is nothing to index."""
        if not model.get_search_fields():
            return None
        indexers = [LanguageIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return None
        content_type_pk = get_content_type_pk(model)
        compiler = InsertQuery(IndexEntry).get_compiler(
            connection=self.write_connection
        )
        vector_sql = VectorSQL(compiler, self.write_connection)
        rows = []
        params = []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            vectors = []
            for name in ("title", "autocomplete", "body"):
                sql, vector_params = vector_sql(name, indexer.texts(name))
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


class LanguageQueryCompiler(PostgresSearchQueryCompiler):
    """A reader's word matches its French stem, its English stem or itself."""

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


class LanguagePostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = LanguageQueryCompiler
    index_class = LanguageIndex

    def __init__(self, params):
        super().__init__(params)
        self.config = NEUTRAL


def SearchBackend(params):
    """Wagtail's database backend, with per-language configurations on
    PostgreSQL."""
    if connection.vendor == "postgresql":
        return LanguagePostgresSearchBackend(params)
    return DatabaseSearchBackend(params)
