"""The integrated care systems in the register, as loaded from hubs/data/ics_places.csv (issue 16
part 1; seed 003): the North East and North Cumbria ICS, its four places and the commissioners in
each through the mergers of 2020 and the ICB of 2022; reloading changes nothing; a broken file
is refused whole."""

import datetime
import shutil

import pytest

from commissioning.models import AuditEvent
from hubs.models import IntegratedCareSystem, Place, SystemMember
from hubs.reference import DATA_DIR, ReferenceDataError, reference_data_load
from hubs.systems_data import SYSTEMS_FILE

pytestmark = pytest.mark.django_db

APRIL_2019 = datetime.date(2019, 4, 1)
APRIL_2020 = datetime.date(2020, 4, 1)
JULY_2022 = datetime.date(2022, 7, 1)


def nenc() -> IntegratedCareSystem:
    return IntegratedCareSystem.objects.get(short_name="NENC")


def in_place(place: str, day: datetime.date) -> set[str]:
    rows = SystemMember.objects.valid_on(day).filter(system=nenc(), place__name=place)
    return set(rows.values_list("commissioner__ods_code", flat=True))


def snapshot() -> tuple:
    return (
        sorted(IntegratedCareSystem.objects.values_list("name", "kind", "valid_from", "version")),
        sorted(Place.objects.values_list("system__name", "name", "valid_from", "valid_to")),
        sorted(
            SystemMember.objects.values_list(
                "system__name", "place__name", "commissioner__ods_code", "valid_from", "valid_to"
            ),
            key=str,
        ),
        IntegratedCareSystem.history.count(),
        Place.history.count(),
        SystemMember.history.count(),
    )


@pytest.fixture
def data_dir(tmp_path):
    """A private copy of the reference files that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_nenc_is_in_the_register_with_four_places(register):
    system = nenc()
    assert system.name == "North East and North Cumbria ICS"
    assert system.kind == IntegratedCareSystem.Kind.ICS
    assert system.hub.name == "North East and Cumbria"
    assert system.valid_from == datetime.date(2018, 4, 1)
    assert system.valid_to is None
    assert sorted(system.places.values_list("name", flat=True)) == [
        "Central",
        "North",
        "North Cumbria",
        "South",
    ]


def test_central_place_in_april_2019(register):
    assert in_place("Central", APRIL_2019) == {"00P", "00N", "00D", "00J"}


def test_central_place_after_the_county_durham_merger(register):
    assert in_place("Central", APRIL_2020) == {"00P", "00N", "84H"}
    durham = SystemMember.objects.get(system=nenc(), commissioner__ods_code="00D")
    county = SystemMember.objects.get(system=nenc(), commissioner__ods_code="84H")
    # The merged CCG leaves the day before its successor joins.
    assert durham.valid_to == datetime.date(2020, 3, 31)
    assert county.valid_from == APRIL_2020


def test_tees_valley_is_in_the_south_from_april_2020(register):
    assert "16C" not in in_place("South", APRIL_2019)
    assert "16C" in in_place("South", APRIL_2020)
    tees = SystemMember.objects.get(system=nenc(), commissioner__ods_code="16C")
    assert tees.valid_from == APRIL_2020
    assert tees.place.name == "South"


def test_only_the_icb_is_in_the_system_from_july_2022(register):
    members = SystemMember.objects.valid_on(JULY_2022).filter(system=nenc())
    assert [(m.commissioner.ods_code, m.place_id) for m in members] == [("QHM", None)]
    ccgs_end = SystemMember.objects.filter(system=nenc()).exclude(commissioner__ods_code="QHM")
    assert max(ccgs_end.values_list("valid_to", flat=True)) == datetime.date(2022, 6, 30)


def test_loading_twice_changes_nothing(register):
    before = snapshot()
    events = AuditEvent.objects.count()
    report = reference_data_load()
    assert not report.changed
    assert report.unchanged["system"] == 14  # one per row of the file
    assert report.unchanged["system member"] == 14
    assert snapshot() == before
    assert AuditEvent.objects.count() == events


def _break(data_dir, old: str, new: str) -> None:
    path = data_dir / SYSTEMS_FILE
    text = path.read_text()
    assert old in text, f"{old!r} not in {SYSTEMS_FILE}"
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "2018-04-01,Central,00P",
            "2018-04-01,Central,ZZZ",
            f"{SYSTEMS_FILE}, line 5: commissioner 'ZZZ' is not in the register",
        ),
        (
            "ics,North East and Cumbria,2018-04-01,North,00L",
            "ics,North East and Narnia,2018-04-01,North,00L",
            f"{SYSTEMS_FILE}, line 2: unknown hub 'North East and Narnia'",
        ),
        (
            "Cumbria,2018-04-01,South,00C",
            "Cumbria,1st April 2018,South,00C",
            f"{SYSTEMS_FILE}, line 10: '1st April 2018' is not a date (YYYY-MM-DD)",
        ),
        (
            "NENC,ics,North East and Cumbria,2018-04-01,South,00K",
            "NENC,icp,North East and Cumbria,2018-04-01,South,00K",
            f"{SYSTEMS_FILE}, line 11: kind must be stp or ics, not 'icp'",
        ),
        (
            "2018-04-01,South,00M",
            "2018-04-01,South,00K",
            f"{SYSTEMS_FILE}, line 12: 00K listed twice in North East and North Cumbria ICS",
        ),
    ],
)
def test_broken_file_is_refused_with_a_clear_problem(register, data_dir, old, new, expected):
    # Also move a good row to another place, to show that nothing at all is written.
    _break(data_dir, "2018-04-01,North Cumbria,01H", "2018-04-01,North,01H")
    _break(data_dir, old, new)
    before = snapshot()
    with pytest.raises(ReferenceDataError) as raised:
        reference_data_load(data_dir=data_dir)
    assert expected in raised.value.problems
    assert snapshot() == before
    cumbria = SystemMember.objects.get(system=nenc(), commissioner__ods_code="01H")
    assert cumbria.place.name == "North Cumbria"


def test_missing_systems_file_is_named(register, data_dir):
    (data_dir / SYSTEMS_FILE).unlink()
    with pytest.raises(ReferenceDataError) as raised:
        reference_data_load(data_dir=data_dir)
    assert f"{SYSTEMS_FILE}: file not found" in raised.value.problems


def test_a_new_place_in_the_file_is_added_on_reload(register, data_dir):
    _break(data_dir, "2018-04-01,North Cumbria,01H", "2018-04-01,Cumbria West,01H")
    report = reference_data_load(data_dir=data_dir)
    assert report.created["place"] == 1
    assert report.updated["system member"] == 1
    cumbria = SystemMember.objects.get(system=nenc(), commissioner__ods_code="01H")
    assert cumbria.place.name == "Cumbria West"
