"""The API says the long-text limit in the forms' words (issue 14, item 5): "Enter 20,000
characters or fewer", never DRF's "Ensure this field has no more than 20000 characters." —
whether a ModelSerializer derives the field from a model TextField or a plain Serializer
declares it (commissioning/serializers.py)."""

import pytest
from rest_framework import serializers

from commissioning.limits import LONG_TEXT
from commissioning.serializers import LongTextField
from governance.models import DocumentVersion
from hubs.models import ProgrammeOfCare
from reviews.models import ReviewCycle
from tests.factories import make_group

MESSAGE = "Enter 20,000 characters or fewer"
TOO_LONG = "x" * (LONG_TEXT + 1)


class _Scope(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeOfCare
        fields = ["scope"]


class _Note(serializers.Serializer):
    note = LongTextField(allow_blank=True, default="")
    short = LongTextField(max_length=10, required=False)


def test_a_model_text_field_in_a_model_serializer_says_the_limit_as_the_forms_do():
    field = _Scope().fields["scope"]
    assert isinstance(field, LongTextField)
    assert field.max_length == LONG_TEXT
    refused = _Scope(data={"scope": TOO_LONG})
    assert not refused.is_valid()
    assert refused.errors == {"scope": [MESSAGE]}
    assert _Scope(data={"scope": "x" * LONG_TEXT}).is_valid()


def test_long_text_field_refuses_once_in_the_forms_words_and_takes_its_own_limit():
    refused = _Note(data={"note": TOO_LONG, "short": "x" * 11})
    assert not refused.is_valid()
    assert refused.errors == {"note": [MESSAGE], "short": ["Enter 10 characters or fewer"]}
    assert _Note(data={"note": "x" * LONG_TEXT, "short": "x" * 10}).is_valid()


@pytest.mark.django_db
def test_the_api_says_the_limit_as_the_forms_do_in_two_apps(
    api_client, national_admin, nec_hub_officer
):
    api_client.force_authenticate(national_admin)
    cycle = {"year": 2015, "kind": "first", "opens_on": "2015-04-01", "closes_on": "2015-05-31"}
    refused = api_client.post(
        "/api/v1/review-cycles/", {**cycle, "purpose": TOO_LONG}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json() == {"purpose": [MESSAGE]}
    assert not ReviewCycle.objects.exists()

    group = make_group(by=nec_hub_officer)
    api_client.force_authenticate(nec_hub_officer)
    document = {"group": group.pk, "kind": "terms_of_reference", "body": TOO_LONG}
    refused = api_client.post("/api/v1/documents/", document, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"body": [MESSAGE]}
    assert not DocumentVersion.objects.exists()


@pytest.mark.django_db
def test_the_api_schema_states_the_limit(api_client, national_admin):
    api_client.force_authenticate(national_admin)
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    parts = schema["components"]["schemas"]
    assert parts["ReviewCycleCreateRequest"]["properties"]["purpose"]["maxLength"] == LONG_TEXT
    assert parts["FindingCreateRequest"]["properties"]["detail"]["maxLength"] == LONG_TEXT
