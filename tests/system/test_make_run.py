"""What `make run` does on a fresh machine, minus serving: migrate, load the reference data and
the demo data into a brand-new var/ folder with the embedded (filesystem) Celery broker. Guards
against set-up steps that only work once the worker has run."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_fresh_set_up_loads_everything_and_queues_emails(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env["COMMISSIONING_VAR_DIR"] = str(tmp_path / "var")
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    for command in (["migrate", "--noinput"], ["load_reference_data"], ["load_demo_data"]):
        done = subprocess.run(
            [*manage, *command],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{command}: {done.stderr[-2000:]}"
    assert (tmp_path / "var" / "commissioning.sqlite3").exists()
    queued = list((tmp_path / "var" / "celery" / "queue").iterdir())
    assert queued, "the demo data's invitation emails should wait in the embedded broker"
