"""Shared by the group API tests: addresses, a member's fields, and small helpers."""

import datetime

from hubs.models import CCG
from oversight import services
from oversight.models import CCGMembership

NEC = "north-east-and-cumbria"
START = datetime.date(2015, 4, 1)
GROUPS = "/api/v1/groups/"
PLACES = "/api/v1/ccg-memberships/"
MEMBERS = "/api/v1/group-members/"


def _member(**overrides) -> dict:
    fields = {
        "full_name": "Dr Asha Rao",
        "email": "",
        "organisation": "NHS England",
        "sector": "nhs_england",
        "ccg": None,
        "role": "chair",
        "voting": True,
        "start_date": START,
        "end_date": None,
    }
    return {**fields, **overrides}


def place(group, ods: str) -> CCGMembership:
    return CCGMembership.objects.get(group=group, ccg__ods_code=ods)


def invite(group, by, *codes) -> None:
    services.ccgs_invite(by=by, group=group, ccgs=list(CCG.objects.filter(ods_code__in=codes)))


def respond(api_client, group, ods: str, answer: str, rep: str | None = None, version=None):
    membership = place(group, ods)
    body = {"answer": answer, "represented_by": rep, "version": version or membership.version}
    return api_client.post(f"{PLACES}{membership.pk}/respond/", body, format="json")


def confirm(api_client, group, ods: str, version=None):
    """The representative's answer to `ods`'s request: confirm it (issue 13)."""
    membership = place(group, ods)
    body = {"version": version or membership.version}
    return api_client.post(f"{PLACES}{membership.pk}/confirm-representation/", body, format="json")


def _writes(group, chair, membership) -> list[tuple[str, str, dict]]:
    """Every write a hub officer may make to the group, with a body that would succeed."""
    return [
        ("patch", f"{GROUPS}{group.pk}/", {"version": group.version, "purpose": "Changed"}),
        ("post", f"{GROUPS}{group.pk}/invite/", {"ccgs": ["00L"]}),
        (
            "post",
            MEMBERS,
            {
                "group": group.pk,
                "full_name": "Cllr Jo Bell",
                "organisation": "Sunderland City Council",
                "sector": "local_authority",
                "start_date": "2015-04-01",
            },
        ),
        ("patch", f"{MEMBERS}{chair.pk}/", {"version": chair.version, "voting": False}),
        (
            "post",
            f"{PLACES}{membership.pk}/withdraw/",
            {"reason": "Merging", "version": membership.version},
        ),
    ]
