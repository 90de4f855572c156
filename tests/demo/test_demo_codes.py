"""The demo's stand-in for an authenticator app (demo/codes.py, issue 19)."""

import pytest
from django.core.management import CommandError, call_command

from accounts import otp
from demo.codes import demo_code
from tests.factories import make_user

ADMIN = "national.admin@example.nhs.uk"


@pytest.fixture
def demo_admin(db, settings):
    settings.DEMO_DATA_ALLOWED = True
    return make_user(ADMIN, "Nadia Shah")


def test_the_code_is_the_one_the_set_up_page_wants(demo_admin, capsys):
    with pytest.raises(RuntimeError, match="no authenticator app yet"):
        demo_code(ADMIN.upper())
    device = otp.authenticator_setup_start(user=demo_admin)
    call_command("demo_code", ADMIN)
    code = capsys.readouterr().out.strip()
    assert len(code) == 6
    assert code.isdigit()
    otp.authenticator_setup_confirm(user=demo_admin, device=device, code=code)  # accepted
    assert otp.has_second_factor(demo_admin)


def test_only_for_demo_people_and_only_where_demo_data_is_allowed(demo_admin, settings):
    otp.authenticator_setup_start(user=make_user("someone@example.nhs.uk", "Someone"))
    with pytest.raises(CommandError, match="not one of the demo people"):
        call_command("demo_code", "someone@example.nhs.uk")
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="local use only"):
        call_command("demo_code", ADMIN)
