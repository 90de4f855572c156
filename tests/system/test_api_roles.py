"""Schemathesis over every read operation of the API as each role: no server error, every
response as documented, and never a record of a hub or CCG the role may not see.

Two hubs keep private records whose text carries a marker: North East and Cumbria and London
each have a group, a meeting and a proposal. A London hub officer must never receive NEC's
marker; a Sunderland CCG lead (in NEC) and the North regional team never London's.
"""

import datetime
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from commissioning.wsgi import application
from tests.factories import make_group

schema = schemathesis.openapi.from_wsgi("/api/schema/", application).include(method="GET")

NEC_MARK = "marker-nec-private"
LONDON_MARK = "marker-london-private"


@pytest.fixture(autouse=True)
def _keep_test_connection_open():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _private_records(hub_slug: str, staff, mark: str, ods: str) -> None:
    from hubs.models import CCG
    from meetings import services as meetings
    from priorities import services as plans

    group = make_group(by=staff, hub=hub_slug, name=f"Group {mark}", purpose=mark)
    meetings.meeting_schedule(
        by=staff,
        group=group,
        title=f"Meeting {mark}",
        starts_at=datetime.datetime(2015, 6, 1, 10, tzinfo=datetime.UTC),
        location=mark,
        online=False,
    )
    plan = plans.plan_create(by=staff, group=group, year=2015)
    plans.proposal_create(
        by=staff,
        plan=plan,
        ccg=CCG.objects.get(ods_code=ods),
        title=f"Proposal {mark}",
        problem=mark,
        qipp_savings=Decimal(1000),
        costs=Decimal(0),
    )


@pytest.fixture
def tokens(register, nec_hub_officer, london_hub_officer, sunderland_lead, north_reviewer):
    _private_records("north-east-and-cumbria", nec_hub_officer, NEC_MARK, "00P")
    _private_records("london", london_hub_officer, LONDON_MARK, "08C")
    return {
        NEC_MARK: [Token.objects.create(user=london_hub_officer).key],
        LONDON_MARK: [
            Token.objects.create(user=sunderland_lead).key,
            Token.objects.create(user=north_reviewer).key,
        ],
    }


@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_every_read_as_each_role_is_documented_and_private(case, tokens):
    for hidden, keys in tokens.items():
        for key in keys:
            response = case.call_and_validate(
                headers={"Authorization": f"Token {key}"},
                checks=[
                    not_a_server_error,
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                ],
            )
            assert hidden not in response.text, (case.path, hidden)
