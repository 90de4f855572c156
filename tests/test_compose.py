"""The container deployment agrees with the app: Dockerfile, docker-compose.yml, .env.example.

No Docker engine and no database are needed. The files are parsed, and every name they use
is resolved against the project itself: management commands, the Celery app, the WSGI target,
the beat scheduler, the health URL and the environment variables settings.py reads. Two
tests run real processes: the Dockerfile's collectstatic step in a copy of the build context,
and the settings loaded under the web container's environment with `check --deploy`.
"""

import ast
import fnmatch
import functools
import json
import logging
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import environ
import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from celery.beat import Scheduler
from django.conf import settings
from django.core.management import get_commands
from django.http.request import validate_host
from django.urls import resolve
from gunicorn.util import import_app
from kombu.utils.imports import symbol_by_name
from packaging.specifiers import SpecifierSet

import commissioning.celery
from commissioning.views import healthz

ROOT = Path(settings.BASE_DIR)
SERVICES = {"postgres", "redis", "web", "worker", "beat"}
APP_SERVICES = ("web", "worker", "beat")
# Read by the postgres image, not by settings.py (compose builds DATABASE_URL from them).
INFRA_VARS = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}


# --- Reading the files ------------------------------------------------------------------


@functools.cache
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def service(name: str) -> dict:
    return compose()["services"][name]


@functools.cache
def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    lines = [
        line
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if not line.lstrip().startswith("#")
    ]
    text = re.sub(r"\\\n", " ", "\n".join(lines))
    steps = []
    for line in text.splitlines():
        if line.strip():
            instruction, _, args = line.strip().partition(" ")
            steps.append((instruction.upper(), " ".join(args.split())))
    return steps


def instructions(name: str) -> list[str]:
    return [args for instruction, args in dockerfile() if instruction == name]


def dockerfile_cmd() -> list[str]:
    (cmd,) = instructions("CMD")
    return json.loads(cmd)  # exec form: a JSON array, so signals reach gunicorn


_ENV_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
_DOCUMENTED_LINE = re.compile(r"^#\s*([A-Z][A-Z0-9_]*)=")


@functools.cache
def env_example() -> tuple[dict[str, str], set[str]]:
    """(the KEY=value lines, the names shown only in commented-out `# KEY=...` lines)."""
    active: dict[str, str] = {}
    commented: set[str] = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        if match := _ENV_LINE.match(line):
            active[match[1]] = match[2]
        elif match := _DOCUMENTED_LINE.match(line):
            commented.add(match[1])
    return active, commented - set(active)


@functools.cache
def settings_env_calls() -> dict[str, str]:
    """Each variable settings.py reads, with the django-environ method reading it."""
    text = (ROOT / "commissioning" / "settings.py").read_text()
    calls = {
        match[2]: match[1] or "str"
        for match in re.finditer(r"\benv(?:\.(\w+))?\(\s*\"([A-Z][A-Z0-9_]*)\"", text)
    }
    for match in re.finditer(r"\"([A-Z][A-Z0-9_]*)\"\s+in\s+env\b", text):
        calls.setdefault(match[1], "str")
    return calls


_INTERPOLATION = re.compile(r"\$\$|\$\{([A-Za-z_]\w*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_]\w*)")


def interpolate(text: str, values: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR:?error} and $$ escapes, as `docker compose`."""

    def substitute(match: re.Match) -> str:
        if match[0] == "$$":
            return "$"
        name, op, arg = match[1] or match[4], match[2], match[3]
        value = values.get(name)
        if op in (":-", ":?") and not value:
            value = None
        if value is None:
            if op in (":?", "?"):
                raise ValueError(f"{name}: {arg}")
            return arg if op in (":-", "-") else ""
        return value

    return _INTERPOLATION.sub(substitute, text)


def interpolated_names(node) -> set[str]:
    """Names of the variables compose interpolates anywhere in a parsed YAML node."""
    if isinstance(node, dict):
        return set().union(*(interpolated_names(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(interpolated_names(v) for v in node))
    if isinstance(node, str):
        return {m[1] or m[4] for m in _INTERPOLATION.finditer(node) if m[0] != "$$"}
    return set()


def container_env(name: str) -> dict[str, str]:
    """A service's environment when .env is a copy of .env.example: env_file, then environment."""
    active, _ = env_example()
    spec = service(name)
    env = dict(active) if spec.get("env_file") else {}
    for key, value in (spec.get("environment") or {}).items():
        env[key] = interpolate(str(value), active)
    return env


def argvs(name: str) -> list[list[str]]:
    """The commands a service runs: each `sh -c` script split at && and `;`, `exec` dropped."""
    command = service(name).get("command")
    if command is None:
        return [dockerfile_cmd()]
    argv = shlex.split(command) if isinstance(command, str) else [str(a) for a in command]
    if argv[:2] not in (["sh", "-c"], ["/bin/sh", "-c"]):
        return [argv]
    parts = [shlex.split(part) for part in re.split(r"&&|;", argv[2])]
    return [part[1:] if part[0] == "exec" else part for part in parts if part]


def option(argv: list[str], *names: str) -> str:
    """The value of a command-line option given as `--name value` or `--name=value`."""
    for index, arg in enumerate(argv):
        for name in names:
            if arg == name:
                return argv[index + 1]
            if arg.startswith(f"{name}="):
                return arg.split("=", 1)[1]
    raise AssertionError(f"none of {names} in {argv}")


def healthcheck_code() -> str:
    test = service("web")["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"], test
    return test[3]


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
    assert int(option(web, "--workers", "-w")) >= 2


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


# --- The Dockerfile ----------------------------------------------------------------------


def test_dockerfile_base_image_matches_the_projects_python():
    (base,) = instructions("FROM")
    assert base == "python:3.11-slim"
    text = (ROOT / "pyproject.toml").read_text()
    requires = re.search(r'requires-python\s*=\s*"([^"]+)"', text)[1]
    assert "3.11.99" in SpecifierSet(requires)  # any 3.11 patch release


def test_dockerfile_installs_weasyprint_libraries_and_the_lock():
    (apt,) = [run for run in instructions("RUN") if "apt-get install" in run]
    packages = set(apt.split())
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "fonts-dejavu-core"} <= (
        packages
    )
    assert "rm -rf /var/lib/apt/lists/*" in apt
    steps = [f"{instruction} {args}" for instruction, args in dockerfile()]
    copy_lock = steps.index("COPY requirements.lock ./")
    install = steps.index("RUN pip install -r requirements.lock")
    copy_all = steps.index("COPY . .")
    assert copy_lock < install < copy_all  # the dependency layer survives code changes
    assert (ROOT / "requirements.lock").is_file()


def test_dockerfile_collects_static_without_debug_before_switching_user():
    steps = dockerfile()
    (collect,) = [i for i, (ins, args) in enumerate(steps) if "collectstatic" in args]
    args = steps[collect][1]
    assert re.search(r"\bDJANGO_DEBUG=false\b", args)
    assert re.search(r"\bDJANGO_SECRET_KEY=\S+", args)
    assert "--noinput" in args
    assert steps.index(("COPY", ". .")) < collect
    assert not any(ins == "ENV" and "DJANGO_SECRET_KEY" in args for ins, args in steps)


def test_dockerfile_runs_as_a_non_root_user_who_owns_only_media():
    (user,) = instructions("USER")
    assert user not in ("root", "0")
    setup = " ".join(instructions("RUN"))
    assert re.search(rf"useradd\b[^&]*\b{user}\b", setup)
    (workdir,) = instructions("WORKDIR")
    media_root = container_env("web")["MEDIA_ROOT"]
    assert media_root.startswith(f"{workdir}/")
    assert f"mkdir -p {media_root}" in setup  # a new volume copies its owner from the image
    assert re.search(rf"chown -R {user}:{user} {re.escape(str(Path(media_root).parent))}", setup)
    steps = [ins for ins, _ in dockerfile()]
    assert steps.index("USER") > max(i for i, s in enumerate(steps) if s == "RUN")


def test_dockerfile_cmd_is_what_compose_web_serves():
    assert instructions("EXPOSE") == ["8000"]
    assert not instructions("ENTRYPOINT")  # compose's commands replace CMD as written
    assert dockerfile_cmd()[:2] == argvs("web")[-1][:2]
    assert all("entrypoint" not in service(name) for name in APP_SERVICES)


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    patterns = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".git", ".venv", "var", "staticfiles"} <= set(patterns)


def _docker_ignored(relative: str, patterns: list[str]) -> bool:
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/").removeprefix("**/")
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(Path(relative).name, pattern):
            ignored = not negate
    return ignored


def test_dockerfile_collectstatic_step_succeeds(tmp_path):
    """The image's collectstatic RUN, run as written in a copy of the build context."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    context = tmp_path / "app"

    def ignore(directory: str, names: list[str]) -> list[str]:
        base = Path(directory).relative_to(ROOT)
        return [n for n in names if _docker_ignored(str(base / n), patterns)]

    shutil.copytree(ROOT, context, ignore=ignore)
    assert not (context / ".venv").exists()
    assert not (context / ".env").exists()
    (run,) = [args for ins, args in dockerfile() if ins == "RUN" and "collectstatic" in args]
    # Brotli at its highest level takes ~35 s here; compression is not what is tested.
    no_brotli = tmp_path / "no_brotli"
    no_brotli.mkdir()
    (no_brotli / "sitecustomize.py").write_text(
        "import whitenoise.compress\nwhitenoise.compress.brotli_installed = False\n"
    )
    result = subprocess.run(
        ["sh", "-c", run],
        cwd=context,
        env={
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "PYTHONPATH": str(no_brotli),
            "HOME": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((context / "staticfiles" / "staticfiles.json").read_text())
    assert "nhsuk/nhsuk-frontend.min.css" in manifest["paths"]
    assert "admin/css/base.css" in manifest["paths"]


# --- Environment variables ---------------------------------------------------------------


def test_settings_reads_the_variables_this_test_expects():
    """The parser of settings.py finds the reads, so the checks below are not vacuous."""
    calls = settings_env_calls()
    assert calls["DJANGO_DEBUG"] == "bool"
    assert calls["DATABASE_URL"] == "db_url"
    assert calls["DJANGO_SECRET_KEY"] == "str"
    assert "EMAIL_URL" in calls
    assert len(calls) >= 20


def test_env_example_documents_every_variable_settings_reads():
    active, commented = env_example()
    undocumented = set(settings_env_calls()) - set(active) - commented
    assert not undocumented, f"add to .env.example: {sorted(undocumented)}"


def test_every_variable_in_compose_and_env_example_is_read_by_settings():
    active, commented = env_example()
    named = set(active) | commented | interpolated_names(compose())
    for name in APP_SERVICES:
        named |= set(service(name).get("environment") or {})
    unknown = named - INFRA_VARS - set(settings_env_calls())
    assert not unknown, f"not read by settings.py (misspelt?): {sorted(unknown)}"
    # The exceptions are really the postgres image's own variables.
    assert set(service("postgres")["environment"]) == INFRA_VARS


def test_compose_sets_the_database_url_from_the_postgres_credentials():
    active, _ = env_example()
    url = container_env("web")["DATABASE_URL"]
    database = environ.Env.db_url_config(url)
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "postgres"
    assert database["PORT"] == 5432
    assert database["USER"] == active["POSTGRES_USER"]
    assert database["PASSWORD"] == active["POSTGRES_PASSWORD"]
    assert database["NAME"] == active["POSTGRES_DB"]
    with pytest.raises(ValueError, match="POSTGRES_PASSWORD"):
        interpolate(service("web")["environment"]["DATABASE_URL"], {})
    broker = container_env("worker")["CELERY_BROKER_URL"]
    assert broker.startswith("redis://redis:6379/")


class _ExampleEnv(environ.Env):
    """django-environ reading into its own mapping, leaving os.environ alone."""

    ENVIRON: dict = {}  # replaced by an empty dict in each test


def test_env_example_parses_with_django_environ(caplog, monkeypatch):
    monkeypatch.setattr(_ExampleEnv, "ENVIRON", {})
    with caplog.at_level(logging.WARNING, logger="environ.environ"):
        _ExampleEnv.read_env(ROOT / ".env.example")
    assert not [r for r in caplog.records if "Invalid line" in r.getMessage()]
    active, _ = env_example()
    assert active == _ExampleEnv.ENVIRON
    env = _ExampleEnv()
    # Each value parses with the very method settings.py reads it with.
    parsed_as = {
        "str": str,
        "bool": bool,
        "int": int,
        "float": float,
        "list": list,
        "path": environ.Path,
        "db_url": dict,
        "cache_url": dict,
        "email_url": dict,
    }
    calls = settings_env_calls()
    assert set(calls.values()) <= set(parsed_as), "a reading method this test does not know"
    for name, method in calls.items():
        if name in active:
            assert isinstance(getattr(env, method)(name), parsed_as[method]), name
    assert env.email_url("EMAIL_URL")["EMAIL_BACKEND"].endswith("EmailBackend")
    assert env.cache_url("CACHE_URL")["BACKEND"].startswith("django.core.cache.backends.")


def test_env_example_values_turn_debug_and_demo_accounts_off(monkeypatch):
    monkeypatch.setattr(_ExampleEnv, "ENVIRON", {})
    _ExampleEnv.read_env(ROOT / ".env.example")
    env = _ExampleEnv()
    # The same reads, with the same defaults, as settings.py.
    debug = env.bool("DJANGO_DEBUG", default=True)
    assert debug is False
    assert env.bool("DEMO_DATA_ALLOWED", default=debug) is False
    assert env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True) is True
    assert all(o.startswith("https://") for o in env.list("DJANGO_CSRF_TRUSTED_ORIGINS"))


_SETTINGS_PROBE = """
import json
import django
from django.conf import settings
from django.core import checks

django.setup()
def problems():
    # Errors of any kind, and the deployment (security.*) warnings; other apps' warnings
    # are `make checks`' business, not this environment's.
    return sorted(
        m.id for m in checks.run_checks(include_deployment_checks=True)
        if m.level >= checks.ERROR or (m.level >= checks.WARNING and m.id.startswith("security."))
    )
report = {
    "DEBUG": settings.DEBUG,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_HOST": settings.DATABASES["default"]["HOST"],
    "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
    "problems": problems(),
}
settings.SECRET_KEY = PLACEHOLDER
report["problems_with_placeholder_key"] = problems()
print(json.dumps(report))
"""


def test_settings_under_the_web_container_environment_pass_check_deploy():
    """settings.py loaded with .env.example as compose passes it to web (a real key set)."""
    env = container_env("web")
    placeholder = env["DJANGO_SECRET_KEY"]
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    env.update(PATH=os.environ["PATH"], DJANGO_SETTINGS_MODULE="commissioning.settings")
    result = subprocess.run(
        [sys.executable, "-c", _SETTINGS_PROBE.replace("PLACEHOLDER", repr(placeholder))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["DEBUG"] is False
    assert report["ENGINE"] == "django.db.backends.postgresql"
    assert report["DB_HOST"] == "postgres"
    assert report["CELERY_BROKER_URL"].startswith("redis://redis:")
    assert report["MEDIA_ROOT"] == env["MEDIA_ROOT"]
    assert report["STATICFILES"].endswith("CompressedManifestStaticFilesStorage")
    assert report["problems"] == []
    # Left unchanged, the example's placeholder key is caught by `check --deploy`.
    assert report["problems_with_placeholder_key"] == ["security.W009"]
