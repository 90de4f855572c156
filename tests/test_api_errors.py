"""The one DRF exception handler: every service refusal gets the same documented answer."""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError

from commissioning.api_errors import handle
from commissioning.concurrency import Change, ConflictError
from commissioning.errors import NotAllowed, RuleError, StateConflict


def _answer(exc, view=None):
    response = handle(exc, {"view": view, "request": None})
    return response.status_code, response.data


def test_a_rule_error_is_a_400_beside_its_field():
    assert _answer(RuleError("Give a title.", field="title")) == (400, {"title": ["Give a title."]})


def test_a_rule_error_without_a_field_is_a_non_field_error():
    assert _answer(RuleError("Not now.")) == (400, {"non_field_errors": ["Not now."]})


def test_a_view_may_rename_a_service_field_to_its_api_name():
    view = SimpleNamespace(error_field_names={"ccg": "ccgs"})
    assert _answer(RuleError("Already a member.", field="ccg"), view) == (
        400,
        {"ccgs": ["Already a member."]},
    )


def test_not_allowed_is_a_403_and_a_state_conflict_a_409():
    assert _answer(NotAllowed("Assessors only.")) == (403, {"detail": "Assessors only."})
    assert _answer(StateConflict("Already ended.")) == (409, {"detail": "Already ended."})


def test_a_stale_version_is_a_409_with_the_current_version():
    current = SimpleNamespace(version=7)
    error = ConflictError(current=current, changes=[Change("Title", "a", "b")], by="Ann")
    status, body = _answer(error)
    assert status == 409
    assert body["current_version"] == 7
    assert "Ann saved this while you were editing" in body["detail"]


def test_everything_else_is_left_to_drf():
    assert _answer(PermissionDenied())[0] == 403
    assert _answer(ValidationError({"x": ["bad"]})) == (400, {"x": ["bad"]})
    assert handle(KeyError("boom"), {"view": None, "request": None}) is None
