"""Two-step sign-in's rules (issue 19): who must have a second factor, setting it up, recovery
codes used once, wrong codes locking out, and when it may be turned off."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts import events, otp
from commissioning.models import AuditEvent
from tests.factories import authenticator_code, make_authenticator

pytestmark = pytest.mark.django_db


def _verbs(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(actor=user, verb__startswith="second_factor.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def test_the_product_enforces_it_with_no_environment_set():
    from commissioning import settings as product

    assert product.SECOND_FACTOR_ENFORCED is True
    assert product.OTP_REQUIRED_FOR_EVERYONE is False


def test_national_admins_must_have_a_second_factor(second_factor_enforced, national_admin):
    assert otp.second_factor_required(national_admin)


@pytest.mark.parametrize("persona", ["north_reviewer", "nec_hub_officer", "roleless_user"])
def test_everyone_else_may_choose(second_factor_enforced, request, persona):
    assert not otp.second_factor_required(request.getfixturevalue(persona))


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_staff_and_superusers_must_for_the_admin_site(second_factor_enforced, roleless_user, flag):
    setattr(roleless_user, flag, True)
    assert otp.second_factor_required(roleless_user)


def test_the_everyone_setting_requires_it_of_every_password_account(
    second_factor_enforced, roleless_user, north_reviewer
):
    second_factor_enforced.OTP_REQUIRED_FOR_EVERYONE = True
    assert otp.second_factor_required(roleless_user)
    assert otp.second_factor_required(north_reviewer)


def test_nobody_must_while_the_suite_has_it_off(national_admin):
    assert not otp.second_factor_required(national_admin)


def test_setting_up_needs_a_right_code_and_gives_ten_recovery_codes(roleless_user):
    device = otp.authenticator_setup_start(user=roleless_user)
    assert otp.authenticator_setup_start(user=roleless_user) == device  # same key on reload
    with pytest.raises(otp.SecondFactorError) as wrong:
        otp.authenticator_setup_confirm(user=roleless_user, device=device, code="000000")
    assert wrong.value.field == "code"
    assert not otp.has_second_factor(roleless_user)

    codes = otp.authenticator_setup_confirm(
        user=roleless_user, device=device, code=authenticator_code(device)
    )
    assert len(codes) == len(set(codes)) == 10
    assert otp.has_second_factor(roleless_user)
    assert otp.status_of(roleless_user).recovery_codes_left == 10
    assert _verbs(roleless_user) == [events.SECOND_FACTOR_ENROLLED]


def test_a_new_authenticator_replaces_the_old_one(roleless_user):
    old, _ = make_authenticator(roleless_user)
    new, _ = make_authenticator(roleless_user)
    assert otp.authenticator_of(roleless_user) == new
    assert not type(old).objects.filter(pk=old.pk).exists()


def test_the_secret_is_shown_in_groups_of_four_and_as_a_qr_code(roleless_user):
    device = otp.authenticator_setup_start(user=roleless_user)
    groups = otp.secret_in_groups(device).split(" ")
    assert all(len(group) == 4 for group in groups[:-1])
    assert "".join(groups).isalnum()
    assert otp.qr_svg(device).startswith("<svg")


def test_a_code_from_the_app_verifies(roleless_user):
    device, _ = make_authenticator(roleless_user)
    assert otp.second_factor_verify(user=roleless_user, code=authenticator_code(device)) == device


def test_a_code_works_only_once(roleless_user):
    device, _ = make_authenticator(roleless_user)
    code = authenticator_code(device)
    otp.second_factor_verify(user=roleless_user, code=code)
    with pytest.raises(otp.SecondFactorError):
        otp.second_factor_verify(user=roleless_user, code=code)


def test_a_recovery_code_works_once(roleless_user):
    _, codes = make_authenticator(roleless_user)
    typed = otp.recovery_code_shown(codes[0]).upper()  # as copied from the page
    otp.second_factor_verify(user=roleless_user, code=typed, recovery=True)
    with pytest.raises(otp.SecondFactorError) as reused:
        otp.second_factor_verify(user=roleless_user, code=typed, recovery=True)
    assert "used already" in str(reused.value)
    assert otp.status_of(roleless_user).recovery_codes_left == 9
    used = AuditEvent.objects.get(verb=events.RECOVERY_CODE_USED)
    assert used.data["left"] == 9
    assert AuditEvent.objects.filter(verb=events.SECOND_FACTOR_CODE_FAILED).count() == 1


def test_new_recovery_codes_replace_the_old(roleless_user):
    _, old = make_authenticator(roleless_user)
    new = otp.recovery_codes_regenerate(user=roleless_user)
    assert not set(old) & set(new)
    with pytest.raises(otp.SecondFactorError):
        otp.second_factor_verify(user=roleless_user, code=old[1], recovery=True)
    otp.second_factor_verify(user=roleless_user, code=new[1], recovery=True)
    assert events.RECOVERY_CODES_REGENERATED in _verbs(roleless_user)


def test_no_recovery_codes_without_an_authenticator(roleless_user):
    with pytest.raises(otp.SecondFactorError):
        otp.recovery_codes_regenerate(user=roleless_user)


def test_wrong_codes_lock_out_at_the_sign_in_limit(settings, roleless_user):
    device, codes = make_authenticator(roleless_user)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            with pytest.raises(otp.SecondFactorError) as wrong:
                otp.second_factor_verify(user=roleless_user, code="000000")
            assert not isinstance(wrong.value, otp.LockedOut)
        with pytest.raises(otp.LockedOut) as locked:  # the last one, a recovery code, counts too
            otp.second_factor_verify(user=roleless_user, code="nothing1", recovery=True)
        until = start + datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
        assert locked.value.until == until
        # Locked out: even the right code is refused, and a recovery code is not spent.
        with pytest.raises(otp.LockedOut):
            otp.second_factor_verify(user=roleless_user, code=codes[0], recovery=True)
    assert otp.status_of(roleless_user).recovery_codes_left == 10
    verbs = _verbs(roleless_user)
    assert verbs.count(events.SECOND_FACTOR_CODE_FAILED) == settings.AXES_FAILURE_LIMIT
    assert verbs[-1] == events.SECOND_FACTOR_LOCKED_OUT

    with time_machine.travel(until + datetime.timedelta(seconds=1), tick=False):
        otp.second_factor_verify(user=roleless_user, code=authenticator_code(device))
        assert otp.locked_until(roleless_user) is None
        with pytest.raises(otp.SecondFactorError) as once_more:  # the count starts again
            otp.second_factor_verify(user=roleless_user, code="000000")
        assert not isinstance(once_more.value, otp.LockedOut)


def test_those_who_must_cannot_turn_it_off(second_factor_enforced, national_admin):
    device, _ = make_authenticator(national_admin)
    with pytest.raises(otp.SecondFactorError) as refused:
        otp.authenticator_remove(user=national_admin, code=authenticator_code(device))
    assert "set up a new authenticator app" in str(refused.value)
    assert otp.has_second_factor(national_admin)


def test_turning_it_off_needs_a_current_code(second_factor_enforced, roleless_user):
    device, _ = make_authenticator(roleless_user)
    with pytest.raises(otp.SecondFactorError) as wrong:
        otp.authenticator_remove(user=roleless_user, code="000000")
    assert wrong.value.field == "code"
    assert otp.has_second_factor(roleless_user)

    otp.authenticator_remove(user=roleless_user, code=authenticator_code(device))
    assert not otp.has_second_factor(roleless_user)
    assert otp.status_of(roleless_user).recovery_codes_left == 0
    assert _verbs(roleless_user)[-1] == events.SECOND_FACTOR_REMOVED


def test_the_verbs_read_as_words():
    assert AuditEvent(verb=events.SECOND_FACTOR_ENROLLED).label == "Two-step sign-in set up"
    assert AuditEvent(verb=events.RECOVERY_CODE_USED).label == "Signed in with a recovery code"
