"""The real Celery app, with a PDF render (an export's or a published plan version's) slow
enough to kill a worker in the middle of.

Started by tests/system/test_worker_killed.py as
`celery -A tests.system.slow_render_worker worker`. The first render (across every worker process
started with the same SLOW_RENDER_PID_FILE) writes its process id to that file and sleeps until it
is killed (or SLOW_RENDER_SECONDS pass); any later render is the real one. Production code knows
nothing of this: only the name exports/services.py and priorities/services.py look the renderer up
under is replaced, in each pool process as it starts.
"""

import os
import time

from celery.signals import worker_process_init

from commissioning.celery import app

__all__ = ["app"]


def _slow_first(render_pdf):
    def render(template_name: str, context: dict) -> bytes:
        try:
            fd = os.open(os.environ["SLOW_RENDER_PID_FILE"], os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:  # not the first render: make it for real
            return render_pdf(template_name, context)
        with os.fdopen(fd, "w") as pid_file:
            pid_file.write(str(os.getpid()))
        time.sleep(float(os.environ.get("SLOW_RENDER_SECONDS", "60")))
        return render_pdf(template_name, context)

    return render


@worker_process_init.connect
def _slow_down_the_first_render(**kwargs) -> None:
    # Django is set up by the time pool processes start.
    from exports import services as exports
    from priorities.services import pdf as priorities

    for services in (exports, priorities):
        services.render_pdf = _slow_first(services.render_pdf)
