"""Guards on the code's shape (issue 12): modules small enough to hold in one's head, and views
and API that read only through selectors and permissions. Import layers are guarded in
tests/test_architecture.py."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 600
# Not the project's own hand-written Python: installed packages, built assets, generated
# migrations, caches and run-time files.
SKIPPED_DIRS = {
    ".venv",
    "node_modules",
    "static",
    "staticfiles",
    "migrations",
    "var",
    "__pycache__",
}
# views.py, views_admin.py, group_views.py, api.py, api_helpers.py, group_api.py, ...
VIEW_OR_API_MODULE = re.compile(r"(^|_)(views|api)(_|$)")


def _project_modules() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts[:-1]
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in parts):
            continue
        found.append(path)
    return sorted(found)


def _project_app_dirs() -> list[Path]:
    """Every installed app whose code lives in this repository (the kernel included)."""
    dirs = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(ROOT) and not path.relative_to(ROOT).parts[0].startswith("."):
            dirs.append(path)
    return sorted(dirs)


def _view_and_api_modules(app: Path) -> list[Path]:
    """An app's `views*.py`/`*_views.py`/`api*.py`/`*_api.py` modules, and every module of its
    `views/` or `api/` packages."""
    found = []
    for path in app.rglob("*.py"):
        inner = path.relative_to(app).parts
        if any(part in SKIPPED_DIRS for part in inner[:-1]):
            continue
        in_package = any(VIEW_OR_API_MODULE.search(part) for part in inner[:-1])
        if in_package or VIEW_OR_API_MODULE.search(path.stem):
            found.append(path)
    return sorted(found)


def _objects_lines(path: Path) -> list[int]:
    """Lines where code reaches through a model manager (`X.objects.<anything>`); comments and
    docstrings are not code, so they are not parsed as such."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "objects"
    )


def test_the_guards_see_the_project():
    """The walks below find the apps and their modules (an empty walk would pass anything)."""
    modules = {str(p.relative_to(ROOT)) for p in _project_modules()}
    assert {"manage.py", "commissioning/settings.py", "tests/test_codebase.py"} <= modules
    assert not any(
        m.startswith((".venv/", "node_modules/")) or "/migrations/" in m for m in modules
    )
    apps_here = {p.relative_to(ROOT).as_posix() for p in _project_app_dirs()}
    assert {"commissioning", "hubs", "accounts", "priorities", "reviews"} <= apps_here
    checked = {
        p.relative_to(ROOT).as_posix()
        for app in _project_app_dirs()
        for p in _view_and_api_modules(app)
    }
    assert "commissioning/api_errors.py" in checked
    for app in ("priorities", "reviews"):
        assert any(name.startswith(f"{app}/views") for name in checked), app
        assert any(name.startswith(f"{app}/api") for name in checked), app
    assert not any("services" in name or "selectors" in name for name in checked)


def test_the_read_guard_counts_code_not_comments_or_docstrings(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        '"""Reads go through selectors, never Plan.objects.all()."""\n'
        "# Plan.objects.filter() would be wrong here\n"
        "plans = Plan.objects.filter(year=2026)\n"
        'label = "Plan.objects.get"\n'
        "manager = Plan.objects\n"
        "count = Plan.objects.visible_to(user).count()\n"
    )
    assert _objects_lines(module) == [3, 6]


def test_no_module_is_over_600_lines():
    too_long = []
    for path in _project_modules():
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES:
            too_long.append((lines, path.relative_to(ROOT).as_posix()))
    listing = "\n".join(
        f"  {name}: {lines} lines" for lines, name in sorted(too_long, reverse=True)
    )
    if too_long:
        pytest.fail(
            f"{len(too_long)} Python module(s) over {MAX_LINES} lines (migrations aside); "
            f"split each into a package along the sections it already has:\n{listing}",
            pytrace=False,
        )


def test_views_and_api_read_only_through_selectors_and_permissions():
    offenders = []
    for app in _project_app_dirs():
        for path in _view_and_api_modules(app):
            lines = _objects_lines(path)
            if lines:
                offenders.append((path.relative_to(ROOT).as_posix(), lines))
    total = sum(len(lines) for _, lines in offenders)
    listing = "\n".join(
        f"  {name}: {len(lines)} (lines {', '.join(map(str, lines))})" for name, lines in offenders
    )
    if offenders:
        pytest.fail(
            f"{total} `.objects.` read(s) in {len(offenders)} view/API module(s); move each "
            "into the app's selectors.py (reads a page assembles) or permissions.py "
            f"(get_<noun>_for_user), and call that:\n{listing}",
            pytrace=False,
        )
