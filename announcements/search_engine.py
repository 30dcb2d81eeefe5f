"""The search engine Wagtail is configured with (``WAGTAILSEARCH_BACKENDS``):
the newsroom's backend for the database in use (``search_backend`` for
PostgreSQL, ``search_backend_sqlite`` for SQLite's FTS5)."""

from django.db import connection

from modelsearch.backends import database

from .search_backend import LanguagePostgresSearchBackend


def SearchBackend(params):
    """Wagtail's database backend, ranking in the index, with per-language
    configurations on PostgreSQL."""
    if connection.vendor == "postgresql":
        return LanguagePostgresSearchBackend(params)
    backend = database.SearchBackend(params)
    if database.USE_SQLITE_FTS:
        # Imported here: modelsearch's SQLite module needs SQLite's tables.
        from .search_backend_sqlite import TitledSQLiteSearchBackend

        return TitledSQLiteSearchBackend(params)
    return backend
