"""The layers: an app imports only apps below it, never one above; the kernel imports no app.

Every app's Python modules (migrations aside) are parsed, and every `import` and `from ... import`
of a project app is checked against the order below, wherever it stands in the module (inside a
function too). The project URLconf and settings may still name apps as strings.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KERNEL = "commissioning"
# Bottom to top.
LAYERS = [
    "hubs",  # the register: regions, hubs, CCGs, successions, PoCs
    "accounts",  # users and their roles over the register
    "exports",  # PDFs made in the background (each app above registers its own renderer)
    "oversight",  # the oversight group: places, members, interests, sub-groups
    "governance",  # terms of reference, collaboration agreements
    "meetings",  # meetings, quorum, declarations, actions, recommendations
    "national",  # Programme of Care boards, Clinical Reference Groups and their seats (seed 000)
    "accountability",  # RACI matrices
    "priorities",  # plans, proposals, assessment, delivery
    "reviews",  # peer review cycles, panels, reports
    "ideas",  # the idea exchange across hubs (seed 000 §4.2)
    "evaluations",  # evaluation of included priorities after their year (seed 000 §4.2.1)
    "cocommissioning",  # primary care co-commissioning: arrangements, applications (seed 002)
    "places",  # place-based commissioning in ICSs: systems and their places (seed 003)
    "exemplars",  # exemplar pathway projects of an ICS (seed 003: cardiology)
    "arrangements",  # pooled budgets, joint appointments, internal delegation (seed 003)
    "timeline",  # planning calendar, reminders, notifications
    "workspace",  # pages that assemble many apps: My work, hub and group pages, at a glance
    "demo",  # demo data, filling every app
]


def _imported_apps(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS or top == KERNEL:
                yield top, node.lineno


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path


def test_every_app_is_in_the_layers():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps - {KERNEL} == set(LAYERS)


@pytest.mark.parametrize("app", [KERNEL, *LAYERS])
def test_no_import_runs_up_the_layers(app):
    offenders = []
    for path in _modules(app):
        for imported, line in _imported_apps(path):
            if imported == app:
                continue
            upward = app == KERNEL or (
                imported != KERNEL and LAYERS.index(imported) > LAYERS.index(app)
            )
            if upward:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert not offenders, "Imports running up the layers:\n" + "\n".join(offenders)
