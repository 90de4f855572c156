"""Benchmark: render a priorities plan PDF with 40 priorities and 200 milestones.

Prints seconds and pages (target: under 3 s on this machine). Run: `make bench` or
`.venv/bin/python bench/plan_pdf.py`. Uses a throwaway SQLite database in a new temporary folder.
"""

import datetime
import io
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
WORK = Path(tempfile.mkdtemp(prefix="commissioning-bench-"))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{WORK}/bench.db")
os.environ["COMMISSIONING_VAR_DIR"] = str(WORK / "var")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from pypdf import PdfReader  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    from accounts.models import Role, RoleAssignment, User
    from commissioning.celery import app
    from exports.models import Export
    from exports.services import export_render
    from hubs.models import Hub
    from oversight import services as groups
    from priorities import services as plans
    from priorities.models import Milestone, Proposal

    app.conf.task_always_eager = True
    hub = Hub.objects.get(slug="north-east-and-cumbria")
    staff = User.objects.create(email="bench@example.nhs.uk", full_name="Bench")
    RoleAssignment.objects.create(user=staff, role=Role.HUB_STAFF, hub=hub)
    group = groups.group_create(
        by=staff,
        hub=hub,
        name="Bench group",
        kind="oversight_group",
        start_date=datetime.date(2015, 4, 1),
    )
    plan = plans.plan_create(by=staff, group=group, year=2015)
    plan = plans.plan_update(
        by=staff, plan=plan, version=plan.version, context="Context. " * 200, risks="Risk. " * 100
    )
    for i in range(40):
        proposal = Proposal.objects.create(
            plan=plan,
            proposed_by=staff,
            title=f"Priority {i:02d}: service redesign",
            problem="Evidence. " * 20,
            benefits="Benefit. " * 10,
            status="included",
            rationale="Agreed",
            qipp_savings=Decimal(100000 + i * 5000),
        )
        Milestone.objects.bulk_create(
            Milestone(
                proposal=proposal, title=f"Milestone {m}", due_date=datetime.date(2015, 5 + m, 1)
            )
            for m in range(5)
        )
    export = Export.objects.create(
        kind="priorities_plan",
        requested_by=staff,
        params={"plan": plan.pk, "version": plan.version},
        title="Bench plan",
    )
    start = time.perf_counter()
    export_render(export_id=export.pk)
    seconds = time.perf_counter() - start
    export.refresh_from_db()
    pages = len(PdfReader(io.BytesIO(export.file.open("rb").read())).pages)
    print(
        f"plan PDF: 40 priorities, {Milestone.objects.count()} milestones -> "
        f"{pages} pages in {seconds:.2f} s ({export.status}; target < 3 s)"
    )


if __name__ == "__main__":
    main()
