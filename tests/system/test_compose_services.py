"""The container deployment agrees with the app: compose's services, the commands they run
and the web health check resolve to real things in the project.

No Docker engine and no database are needed. The files are parsed (tests/system/compose_files.py)
and every name they use is resolved against the project itself: management commands, the Celery
app, the WSGI target, the beat scheduler and the health URL.
"""

import ast
import os
import re
import shlex
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import environ
import pytest
from celery import Celery
from celery.app.utils import find_app
from celery.beat import Scheduler
from django.conf import settings
from django.core.management import get_commands
from django.http.request import validate_host
from django.urls import resolve
from gunicorn.util import import_app
from kombu.utils.imports import symbol_by_name

import commissioning.celery
from commissioning.views import healthz
from tests.system.compose_files import (
    APP_SERVICES,
    ROOT,
    SERVICES,
    argvs,
    compose,
    container_env,
    dockerfile_cmd,
    env_example,
    healthcheck_code,
    option,
    service,
)

# --- Services, health and start-up order ------------------------------------------------


def test_the_five_services_exist():
    assert set(compose()["services"]) >= SERVICES


@pytest.mark.parametrize(
    ("name", "probe"),
    [("postgres", "pg_isready"), ("redis", "redis-cli ping"), ("web", "/healthz/")],
)
def test_infrastructure_and_web_have_healthchecks(name, probe):
    test = service(name)["healthcheck"]["test"]
    assert test[0] in ("CMD", "CMD-SHELL")
    assert probe in " ".join(test)


def test_every_dependency_waits_for_a_healthy_service():
    for name, spec in compose()["services"].items():
        for dependency, rule in (spec.get("depends_on") or {}).items():
            assert rule["condition"] == "service_healthy", (name, dependency)
            assert "healthcheck" in service(dependency), f"{name} waits on {dependency}"


def test_web_waits_for_its_backing_services_and_the_workers_for_web():
    assert set(service("web")["depends_on"]) == {"postgres", "redis"}
    # web runs the migrations: worker and beat start only once the schema exists.
    for name in ("worker", "beat"):
        assert set(service(name)["depends_on"]) == {"postgres", "redis", "web"}


def test_app_services_share_the_image_env_file_and_media_volume():
    top_volumes = set(compose()["volumes"])
    postgres_mounts = [v.split(":") for v in service("postgres")["volumes"]]
    assert ["postgres-data", "/var/lib/postgresql/data"] in postgres_mounts
    for name in APP_SERVICES:
        spec = service(name)
        assert spec["build"] == "."
        assert spec["env_file"] == ".env"
        mounts = dict(v.split(":")[:2] for v in spec["volumes"])
        media_root = container_env(name)["MEDIA_ROOT"]
        assert mounts.get("media") == media_root, "MEDIA_ROOT must be the media volume"
    assert {"postgres-data", "media"} <= top_volumes


# --- The commands resolve to real things in the project ----------------------------------


def test_manage_py_commands_exist():
    named = [
        argv[argv.index("manage.py") + 1]
        for name in compose()["services"]
        for argv in argvs(name)
        if "manage.py" in argv
    ]
    assert {"migrate", "load_reference_data"} <= set(named)
    commands = get_commands()
    missing = [command for command in named if command not in commands]
    assert not missing, f"not management commands of this project: {missing}"


def test_web_migrates_and_loads_reference_data_before_serving():
    steps = argvs("web")
    assert [step[:3] for step in steps[:2]] == [
        ["python", "manage.py", "migrate"],
        ["python", "manage.py", "load_reference_data"],
    ]
    assert "--noinput" in steps[0]
    assert steps[-1][0] == "gunicorn"
    assert re.search(r"&&\s*exec gunicorn", service("web")["command"][2])


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_celery_app_named_by_dash_a_is_the_projects(name):
    (argv,) = argvs(name)
    assert argv[0] == "celery"
    assert argv[argv.index("-A") + 2] == name  # the sub-command: worker / beat
    app = find_app(option(argv, "-A", "--app"))
    assert isinstance(app, Celery)
    assert app is commissioning.celery.app
    assert app.main == "commissioning"


def test_worker_healthcheck_pings_the_same_celery_app():
    test = service("worker")["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    probe = shlex.split(test[1])
    assert probe[:2] == ["celery", "-A"]
    assert find_app(probe[2]) is commissioning.celery.app
    assert probe[3:5] == ["inspect", "ping"]
    # $$HOSTNAME reaches the container's shell as $HOSTNAME: the worker's default node name.
    assert option(probe, "--destination", "-d") == "celery@$$HOSTNAME"


def test_beat_scheduler_class_imports():
    (argv,) = argvs("beat")
    path = option(argv, "--scheduler", "-S")
    scheduler = symbol_by_name(path)
    assert issubclass(scheduler, Scheduler)
    assert path == settings.CELERY_BEAT_SCHEDULER


def test_gunicorn_targets_import_and_match_the_wsgi_setting():
    module, attr = settings.WSGI_APPLICATION.rsplit(".", 1)
    expected = f"{module}:{attr}"
    web = argvs("web")[-1]
    for argv in (web, dockerfile_cmd()):
        assert argv[0] == "gunicorn"
        assert argv[1] == expected
        assert option(argv, "--bind", "-b") == "0.0.0.0:8000"
        assert callable(import_app(argv[1]))
    # `$${WEB_CONCURRENCY:-3}`: compose passes the shell its default (settings read the same
    # variable for the connection budget check, commissioning/checks.py).
    workers = option(web, "--workers", "-w")
    default = re.fullmatch(r"\$\$\{WEB_CONCURRENCY:-(\d+)\}", workers)
    assert int(default.group(1) if default else workers) >= 2


def test_every_executable_the_services_call_is_installed_by_the_lock():
    locked = {
        line.split("==")[0].strip().lower().replace("_", "-")
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line
    }
    for name in APP_SERVICES:
        for argv in argvs(name):
            if argv[0] in ("gunicorn", "celery"):
                assert argv[0] in locked
    # PostgreSQL and Redis drivers, and the beat scheduler's package.
    assert {"psycopg", "redis", "django-celery-beat"} <= locked


# --- The health check --------------------------------------------------------------------


def test_health_url_is_the_database_health_view():
    match = re.search(r"http://127\.0\.0\.1:(\d+)(/[\w/]*)", healthcheck_code())
    assert match, "the healthcheck must request a URL on the container itself"
    assert match[1] == option(argvs("web")[-1], "--bind", "-b").rsplit(":", 1)[1]
    assert resolve(match[2]).func is healthz
    # The HTTPS redirect would answer 301 to a plain-HTTP probe.
    assert any(re.match(pattern, match[2].lstrip("/")) for pattern in _redirect_exempt())


def _redirect_exempt() -> list[str]:
    text = (ROOT / "commissioning" / "settings.py").read_text()
    match = re.search(r"SECURE_REDIRECT_EXEMPT\s*=\s*(\[[^\]]*\])", text)
    assert match, "settings.py must exempt the health URL from SECURE_SSL_REDIRECT"
    return ast.literal_eval(match[1])


class _Stub(BaseHTTPRequestHandler):
    status = 200
    body = b"ok"
    hosts: list[str] = []

    def do_GET(self):
        type(self).hosts.append(self.headers["Host"])
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def _probe(allowed_hosts: str, status: int = 200, body: bytes = b"ok") -> tuple[int, str]:
    """Run the web healthcheck's Python against a stub server; (exit code, Host it sent)."""
    handler = type("Handler", (_Stub,), {"status": status, "body": body, "hosts": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        code = healthcheck_code().replace("127.0.0.1:8000", f"127.0.0.1:{server.server_address[1]}")
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={"PATH": os.environ["PATH"], "DJANGO_ALLOWED_HOSTS": allowed_hosts},
            capture_output=True,
            timeout=30,
            check=False,
        )
    finally:
        server.shutdown()
        server.server_close()
    return result.returncode, (handler.hosts or [""])[0]


@pytest.mark.parametrize(
    ("allowed", "sent"),
    [
        ("commissioning.example.nhs.uk,localhost", "commissioning.example.nhs.uk"),
        (".example.nhs.uk", "example.nhs.uk"),
        ("*", "localhost"),
    ],
)
def test_healthcheck_passes_on_ok_with_a_host_django_accepts(allowed, sent):
    code, host = _probe(allowed)
    assert code == 0
    assert host == sent
    assert validate_host(host, allowed.split(","))


@pytest.mark.parametrize(("status", "body"), [(503, b"ok"), (200, b"not ok")])
def test_healthcheck_fails_unless_the_answer_is_200_ok(status, body):
    code, _ = _probe("commissioning.example.nhs.uk", status, body)
    assert code != 0


def test_healthcheck_sends_a_host_the_example_environment_allows():
    active, _ = env_example()
    code, host = _probe(active["DJANGO_ALLOWED_HOSTS"])
    assert code == 0
    assert validate_host(host, environ.Env.parse_value(active["DJANGO_ALLOWED_HOSTS"], list))
