"""SQLite's side of the search engine (``search_backend``): FTS5, with the
titles in every language in the title column, ranked in the index."""

from django.db.models import FloatField, Func
from django.utils.functional import cached_property

from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    IndexEntry,
    SQLiteAutocompleteQueryCompiler,
    SQLiteFTSIndexEntry,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    SQLiteSearchResults,
)
from modelsearch.backends.database.sqlite.sqlite import (
    ObjectIndexer as SQLiteObjectIndexer,
)
from modelsearch.utils import get_content_type_pk

from .search_backend import IndexFirst, IndexFirstResults, Texts, is_text

# FTS5's columns, in their order, and how much a word found in each weighs
# in a search: a title outweighs any body.
SEARCH_WEIGHTS = {"autocomplete": 0.0, "body": 1.0, "title": 10.0}
AUTOCOMPLETE_WEIGHTS = {"autocomplete": 1.0, "body": 0.0, "title": 0.0}


class TitledSQLiteIndexer(SQLiteObjectIndexer):
    """The title column holds the titles in every language; the body, every text."""

    @cached_property
    def texts(self):
        return Texts(self)

    @cached_property
    def title(self):
        return " ".join(text for text, _language in self.texts.titles)

    @cached_property
    def body(self):
        return " ".join(text for text, _language in self.texts.body)


class TitledSQLiteIndex(SQLiteIndex):
    def add_items(self, model, objs):
        # modelsearch's SQLiteIndex.add_items, with TitledSQLiteIndexer: the
        # indexer class is not a hook there.
        if not model.get_search_fields():
            return
        indexers = [TitledSQLiteIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        texts = {i.id: (i.title, i.autocomplete, i.body) for i in indexers}
        entries = self.entries.filter(content_type_id=content_type_pk)
        indexed = set(
            entries.filter(object_id__in=texts).values_list("object_id", flat=True)
        )
        for object_id in indexed:
            title, autocomplete, body = texts[object_id]
            entries.filter(object_id=object_id).update(
                title=title, autocomplete=autocomplete, body=body
            )
        self.entries.bulk_create(
            IndexEntry(
                content_type_id=content_type_pk,
                object_id=object_id,
                title=title,
                autocomplete=autocomplete,
                body=body,
            )
            for object_id, (title, autocomplete, body) in texts.items()
            if object_id not in indexed
        )
        self._refresh_title_norms()


class BM25(Func):
    """FTS5's rank of the matching row, each column weighed (lower is better)."""

    output_field = FloatField()

    def __init__(self, weights):
        super().__init__()
        self.weights = weights

    def as_sql(self, compiler, connection, **extra_context):
        table = SQLiteFTSIndexEntry._meta.db_table
        weights = ", ".join(str(float(weight)) for weight in self.weights.values())
        return f"bm25({table}, {weights})", []


class SQLiteIndexFirst(IndexFirst):
    entry = "index_entry__"
    BEST_FIRST = ""

    def ranks_in_index(self):
        # FTS5's table has a title, a body and an autocomplete column, no
        # column per field: a search asked of some fields (the organisations'
        # admin search, by name) searches every text, as modelsearch cannot.
        return is_text(normalize(self.query))

    def matching(self, config):
        query = self.build_search_query(normalize(self.query), config=config)
        return SQLiteFTSIndexEntry.objects.filter(
            MatchExpression(self.FTS_TABLE_FIELDS, query)
        )

    def rank(self, config):
        return BM25(self.weights)


class TitledSQLiteQueryCompiler(SQLiteIndexFirst, SQLiteSearchQueryCompiler):
    weights = SEARCH_WEIGHTS


class TitledSQLiteAutocompleteCompiler(
    SQLiteIndexFirst, SQLiteAutocompleteQueryCompiler
):
    weights = AUTOCOMPLETE_WEIGHTS


class TitledSQLiteResults(IndexFirstResults, SQLiteSearchResults):
    pass


class TitledSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = TitledSQLiteQueryCompiler
    autocomplete_query_compiler_class = TitledSQLiteAutocompleteCompiler
    results_class = TitledSQLiteResults
    index_class = TitledSQLiteIndex
