"""The deployment files as the compose tests read them: Dockerfile, docker-compose.yml,
.env.example, and the environment variables settings.py reads."""

import functools
import json
import re
import shlex
from pathlib import Path

import yaml
from django.conf import settings

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
