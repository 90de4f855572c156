"""Set up the local provider's database: `python -m tests.system.oidc_provider.provision SPEC`,
SPEC a JSON object {"clients": [{"client_id", "client_secret", "redirect_uris",
"post_logout_redirect_uris", "require_consent"}], "users": [{"username", "password", "email",
"email_verified"}]}. Run after `migrate` and `creatersakey`, with this project's settings."""

import json
import sys

import django


def provision(spec: dict) -> None:
    from django.contrib.auth.models import Group, User
    from oidc_provider.models import Client, ResponseType

    from .claims import UNVERIFIED

    code = ResponseType.objects.get(value="code")
    for item in spec.get("clients", []):
        client, _ = Client.objects.update_or_create(
            client_id=item["client_id"],
            defaults={
                "name": item.get("name", item["client_id"]),
                "client_type": "confidential",
                "client_secret": item["client_secret"],
                "jwt_alg": "RS256",
                "require_consent": item.get("require_consent", False),
                "reuse_consent": False,
            },
        )
        client.redirect_uris = item["redirect_uris"]
        client.post_logout_redirect_uris = item.get("post_logout_redirect_uris", [])
        client.save()
        client.response_types.set([code])
    unverified, _ = Group.objects.get_or_create(name=UNVERIFIED)
    for item in spec.get("users", []):
        user, _ = User.objects.get_or_create(username=item["username"])
        user.email = item["email"]
        user.first_name = item.get("first_name", "")
        user.last_name = item.get("last_name", "")
        user.set_password(item["password"])
        user.save()
        if item.get("email_verified", True):
            user.groups.remove(unverified)
        else:
            user.groups.add(unverified)


if __name__ == "__main__":
    django.setup()
    provision(json.loads(sys.argv[1]))
