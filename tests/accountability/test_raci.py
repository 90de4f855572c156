"""RACI matrices: default template, one accountable party, locking, archive, CSV, access."""

import csv
import io

import pytest
from django.urls import reverse

from accountability import services
from accountability.models import RaciActivity, RaciCell, RaciMatrix, RaciParty
from accountability.template import ACTIVITIES, PARTIES
from commissioning.concurrency import ConflictError
from hubs.models import CCG
from oversight import services as group_services
from tests.factories import make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(nec_hub_officer):
    return make_group(by=nec_hub_officer, name="NEC Group")


def grid(matrix) -> dict:
    return {
        (c.activity_id, c.party_id): c.value
        for c in RaciCell.objects.filter(activity__matrix=matrix)
    }


def test_default_matrix_has_one_accountable_party_per_activity(group, nec_hub_officer):
    matrix = services.raci_seed_default(by=nec_hub_officer, group=group)
    assert matrix.parties.count() == len(PARTIES)
    assert matrix.activities.count() == len(ACTIVITIES)
    values = grid(matrix)
    for activity in matrix.activities.all():
        assert [p for (a, p), v in values.items() if a == activity.pk and v == "A"] != []
        assert sum(1 for (a, _), v in values.items() if a == activity.pk and v == "A") == 1
    again = services.raci_seed_default(by=nec_hub_officer, group=group)
    assert again == matrix
    assert RaciActivity.objects.count() == len(ACTIVITIES)


def test_two_accountable_parties_are_refused(group, nec_hub_officer):
    matrix = services.raci_seed_default(by=nec_hub_officer, group=group)
    values = grid(matrix)
    activity = matrix.activities.get(name="Decide service change or reconfiguration")
    hub = matrix.parties.get(name="Specialised commissioning hub")
    values[(activity.pk, hub.pk)] = "A"
    with pytest.raises(services.RaciError, match="more than one Accountable party"):
        services.raci_save(by=nec_hub_officer, matrix=matrix, version=matrix.version, values=values)
    assert grid(matrix)[(activity.pk, hub.pk)] == "R"


def test_second_saver_is_refused(group, nec_hub_officer):
    matrix = services.raci_seed_default(by=nec_hub_officer, group=group)
    opened = matrix.version
    values = grid(matrix)
    key = next(iter(values))
    services.raci_save(
        by=nec_hub_officer, matrix=matrix, version=opened, values={**values, key: "I"}
    )
    with pytest.raises(ConflictError):
        services.raci_save(
            by=nec_hub_officer, matrix=matrix, version=opened, values={**values, key: "C"}
        )
    assert grid(matrix)[key] == "I"


def test_archived_rows_leave_the_grid_but_stay(group, nec_hub_officer, client):
    matrix = services.raci_seed_default(by=nec_hub_officer, group=group)
    providers = matrix.parties.get(name="Providers")
    client.force_login(nec_hub_officer)
    client.post(reverse("accountability:archive", args=[group.pk, "party", providers.pk]))
    assert RaciParty.objects.filter(pk=providers.pk, archived=True).exists()
    page = client.get(reverse("accountability:raci", args=[group.pk]))
    assert providers not in page.context["parties"]
    table = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("accountability:raci-csv", args=[group.pk])).content.decode()
            )
        )
    )
    assert table[0][:3] == ["Stage", "Activity", "NHS England national team"]
    assert "Providers" not in table[0]
    assert len(table) == 1 + len(ACTIVITIES)


def test_the_page_saves_the_grid_and_flags_gaps(group, nec_hub_officer, client):
    matrix = services.raci_seed_default(by=nec_hub_officer, group=group)
    client.force_login(nec_hub_officer)
    activity = matrix.activities.get(name="Contract with providers")
    data = {"version": matrix.version}
    data |= {f"cell-{a}-{p}": v for (a, p), v in grid(matrix).items()}
    region = matrix.parties.get(name="NHS England regional team")
    data[f"cell-{activity.pk}-{region.pk}"] = "R"
    response = client.post(reverse("accountability:raci", args=[group.pk]), data)
    assert response.status_code == 302
    page = client.get(reverse("accountability:raci", args=[group.pk])).content.decode()
    assert "No one accountable" in page
    stale = client.post(reverse("accountability:raci", args=[group.pk]), data)
    assert stale.status_code == 409
    assert "saved this while you were editing" in stale.content.decode()


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("london_hub_officer", 404, 404),
        ("north_reviewer", 200, 403),
        ("sunderland_lead", 200, 403),
        ("nec_hub_officer", 200, 200),
    ],
)
def test_access_ladder(client, request, group, nec_hub_officer, persona, read, write):
    group_services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="00P")]
    )
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("accountability:raci", args=[group.pk])).status_code == read
    assert client.get(reverse("accountability:raci-csv", args=[group.pk])).status_code == read
    seeded = client.post(reverse("accountability:raci-seed", args=[group.pk]))
    assert seeded.status_code == (302 if write == 200 else write)
    assert RaciMatrix.objects.filter(group=group).exists() == (write == 200)
    assert client.get(reverse("accountability:activity-add", args=[group.pk])).status_code == write


def test_anonymous_is_sent_to_sign_in(client, group):
    response = client.get(reverse("accountability:raci", args=[group.pk]))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_queries_are_bounded(group, nec_hub_officer, client, django_assert_max_num_queries):
    matrix = services.raci_seed_default(by=nec_hub_officer, group=group)
    for i in range(10):
        services.raci_activity_add(
            by=nec_hub_officer, matrix=matrix, stage="Extra", name=f"Activity {i}"
        )
    client.force_login(nec_hub_officer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("accountability:raci", args=[group.pk]))
    assert len(page.context["rows"]) == len(ACTIVITIES) + 10
    with django_assert_max_num_queries(10):
        client.get(reverse("accountability:raci-csv", args=[group.pk]))
