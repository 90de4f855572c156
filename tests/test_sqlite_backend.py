"""The SQLite backend batches bulk writes by SQLite's real parameter limit, as PostgreSQL does
not batch them at all, so query counts stay the same on both databases."""

import pytest
from django.db import connection

from timeline.models import ReminderClaim


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own parameter limit")
def test_200_rows_of_15_columns_go_to_sqlite_in_one_insert(db):
    fields = [f for f in ReminderClaim._meta.concrete_fields if not f.primary_key]
    assert len(fields) == 15
    assert connection.ops.bulk_batch_size(fields, [None] * 200) >= 200
