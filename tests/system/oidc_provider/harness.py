"""Start the local OpenID Connect provider (settings.py beside this file) on a free port of
127.0.0.1, as a real process, for the SSO tests (issue 19)."""

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.system.processes import free_port

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = "tests.system.oidc_provider.settings"
CLIENT_ID = "collaborative-commissioning"
CLIENT_SECRET = "local-test-secret"
PASSWORD = "provider-password"
# The provider's people, as the SSO tests use them: an address in another case than the
# product's; the same address unverified; one outside the allowed domain; one unknown to the
# product.
PEOPLE = [
    {"username": "nadia", "email": "Nadia@Example.NHS.uk"},
    {"username": "nadia-unverified", "email": "nadia@example.nhs.uk", "email_verified": False},
    {"username": "nadia-gmail", "email": "nadia@gmail.com"},
    {"username": "newcomer", "email": "newcomer@example.nhs.uk"},
]


class LocalProvider:
    """The provider's process and what a test needs to know of it."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.discovery_url = f"{self.url}/.well-known/openid-configuration"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "OP_DATABASE": str(workdir / "provider.sqlite3"),
            "PYTHONPATH": str(ROOT),
        }
        self.log = workdir / "provider.log"
        self.process: subprocess.Popen | None = None

    def _django(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "django", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def provision(self, *, redirect_uris: list[str], post_logout_uris: list[str], users: list):
        spec = {
            "clients": [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": redirect_uris,
                    "post_logout_redirect_uris": post_logout_uris,
                }
            ],
            "users": [{"password": PASSWORD, **user} for user in users],
        }
        subprocess.run(
            [sys.executable, "-m", "tests.system.oidc_provider.provision", json.dumps(spec)],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def start(self) -> "LocalProvider":
        self._django("migrate", "--noinput")
        self._django("creatersakey")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "django",
                    "runserver",
                    f"127.0.0.1:{self.port}",
                    "--noreload",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        for _ in range(150):
            try:
                if requests.get(self.discovery_url, timeout=1).ok:
                    return self
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"the local provider did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def settings(self, **extra: str) -> dict:
        """The product's OIDC_PROVIDERS setting for this provider, under the key "nhsmail"."""
        return {
            "nhsmail": {
                "label": "NHSmail",
                "discovery_url": self.discovery_url,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "allowed_domains": "example.nhs.uk",
                **extra,
            }
        }


@contextlib.contextmanager
def provider_for(workdir: Path, base_url: str):
    """A running provider that knows the product at `base_url` as its "nhsmail" client, with
    PEOPLE as its users; stopped afterwards."""
    provider = LocalProvider(workdir).start()
    try:
        provider.provision(
            redirect_uris=[f"{base_url}/accounts/sso/nhsmail/callback/"],
            post_logout_uris=[f"{base_url}/accounts/login/"],
            users=PEOPLE,
        )
        yield provider
    finally:
        provider.stop()
