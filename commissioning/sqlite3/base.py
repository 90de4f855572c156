"""Django's SQLite backend, told how many query parameters this SQLite really accepts.

Django 5.2 assumes SQLite's pre-3.32 default of 999 parameters per statement, so a
`bulk_create` of 200 reminder claims (15 columns) is cut into four INSERTs on SQLite but sent as
one to PostgreSQL: the embedded set-up would make more queries as the register grows, and the
query-count guards would differ between the two databases. Modern SQLite accepts 32766 by
default (Debian's build 250000); ask the connection for its limit instead of guessing.
"""

import sqlite3

from django.db.backends.sqlite3 import base, features
from django.utils.functional import cached_property


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self) -> int:  # type: ignore[override]  # a plain attribute in Django
        self.connection.ensure_connection()
        return self.connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
