"""A Commissioning Committee member with only that role (issue 15: a national role, new beside
the four of the earlier issues) lands on My work with a panel of their own, and every page the
header offers them opens."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_committee_member_lands_on_my_work_and_every_header_link_opens(client, register):
    cara = make_user("cara@example.nhs.uk", "Cara Okafor", (Role.COMMISSIONING_COMMITTEE, None))
    client.force_login(cara)
    home = client.get(reverse("workspace:my-work"))
    assert home.status_code == 200
    assert "You hold 1 role." in home.text
    assert "Commissioning Committee member: England" in home.text
    assert "No recommended applications await sign-off." in home.text
    assert "You have no role yet" not in home.text
    for item in home.context["nav_items"]:
        assert client.get(item["url"]).status_code == 200, item["label"]
