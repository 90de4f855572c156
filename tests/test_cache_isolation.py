"""Tests empty the cache with `tests.conftest.cache_clear`, never with `cache.clear()`: on the
Redis cache CI uses, `cache.clear()` flushes the whole database, wiping the keys of the other
test processes sharing it, so their pages and header counts are counted again mid-test (a
query-count test of the national pages failed that way in CI)."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_test_flushes_the_shared_cache():
    offenders = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if path.name not in {"test_cache_isolation.py", "conftest.py"}
        and "cache.clear()" in path.read_text()
    ]
    assert offenders == []
