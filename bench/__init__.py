"""Benchmarks that print figures (never tests). Each script runs as a file:
`.venv/bin/python bench/<name>.py`; `bench.generation` is the scale data generator's package."""
