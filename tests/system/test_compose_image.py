"""The container image and its environment agree with the app: the Dockerfile, and the
environment variables compose and .env.example set against those settings.py reads.

Two tests run real processes: the Dockerfile's collectstatic step in a copy of the build context,
and the settings loaded under the web container's environment with `check --deploy`.
"""

import fnmatch
import json
import logging
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from packaging.specifiers import SpecifierSet

from tests.system.compose_files import (
    APP_SERVICES,
    INFRA_VARS,
    ROOT,
    argvs,
    compose,
    container_env,
    dockerfile,
    dockerfile_cmd,
    env_example,
    instructions,
    interpolate,
    interpolated_names,
    service,
    settings_env_calls,
)

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
