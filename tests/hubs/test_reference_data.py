"""Loading the organisation register: the real files, idempotence, changes, broken files."""

import datetime
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from commissioning.models import AuditEvent
from hubs.models import CCG, CCGSuccession, Hub, ProgrammeOfCare, Region
from hubs.reference import DATA_DIR, ReferenceDataError, reference_data_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path):
    """A private copy of the reference files that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _snapshot() -> tuple:
    return (
        Region.objects.count(),
        Hub.objects.count(),
        CCG.objects.count(),
        CCGSuccession.objects.count(),
        ProgrammeOfCare.objects.count(),
        CCG.history.count(),
        sorted(CCG.objects.values_list("ods_code", "name", "hub__name", "valid_to")),
    )


def _edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_real_files_give_the_2015_structure(register):
    assert Region.objects.count() == 4
    assert Hub.objects.count() == 10
    assert ProgrammeOfCare.objects.count() == 6
    # 211 CCGs of 2013-2015, the 8 successors of the mergers of 2015-2018, the 29 of 2019-2021,
    # and the 42 ICBs of 1 July 2022.
    assert CCG.objects.filter(kind=CCG.Kind.CCG).count() == 248
    assert CCG.objects.filter(kind=CCG.Kind.ICB).count() == 42
    assert CCG.objects.valid_on(datetime.date(2015, 3, 31)).count() == 211
    assert CCG.objects.valid_on(datetime.date(2015, 4, 1)).count() == 209
    # 24 mergers to 2018, 118 in 2019-2021, 106 CCGs passing to ICBs in 2022.
    assert CCGSuccession.objects.count() == 24 + 118 + 106
    counts = dict(Hub.objects.values_list("name", "region__name"))
    assert counts["London"] == "London"
    assert counts["Wessex"] == "South"


def test_newcastle_gateshead_succeeds_three_ccgs(register):
    successor = CCG.objects.with_succession().get(ods_code="13T")
    assert successor.name == "NHS Newcastle Gateshead CCG"
    assert successor.valid_from == datetime.date(2015, 4, 1)
    assert successor.hub.name == "North East and Cumbria"
    assert successor.source == CCG.Source.SUCCESSION
    predecessors = {link.predecessor.ods_code for link in successor.predecessor_links.all()}
    assert predecessors == {"00F", "00G", "00H"}
    gateshead = CCG.objects.get(ods_code="00F")
    assert gateshead.valid_to == datetime.date(2015, 3, 31)
    assert gateshead.is_valid_on(datetime.date(2015, 3, 31))
    assert not gateshead.is_valid_on(datetime.date(2015, 4, 1))


def test_rerun_changes_nothing(register):
    before = _snapshot()
    events = AuditEvent.objects.count()
    report = reference_data_load()
    assert not report.changed
    assert report.unchanged["CCG"] == 248
    assert report.unchanged["ICB"] == 42
    assert _snapshot() == before
    assert AuditEvent.objects.count() == events


def test_changed_row_updates_and_keeps_history(register, data_dir):
    _edit(data_dir / "hub_footprints.csv", "NHS Sunderland CCG", "NHS Sunderland City CCG")
    sunderland = CCG.objects.get(ods_code="00P")
    history_before = sunderland.history.count()
    report = reference_data_load(data_dir=data_dir)
    assert report.updated["CCG"] == 1
    assert report.unchanged["CCG"] == 247
    sunderland.refresh_from_db()
    assert sunderland.name == "NHS Sunderland City CCG"
    assert sunderland.history.count() == history_before + 1
    assert sunderland.history.earliest().name == "NHS Sunderland CCG"
    assert AuditEvent.objects.filter(verb="reference_data.loaded").exists()


@pytest.mark.parametrize(
    ("filename", "old", "new", "expected"),
    [
        (
            "hub_footprints.csv",
            "North,North East and Cumbria,NHS Sunderland CCG",
            "North,North East and Narnia,NHS Sunderland CCG",
            "hub_footprints.csv, line 3: unknown hub 'North East and Narnia'",
        ),
        (
            "hub_footprints.csv",
            "NHS Sunderland CCG,00P,",
            "NHS Sunderland CCG,00L,",
            "hub_footprints.csv, line 3: duplicate ODS code '00L' (first on line 2)",
        ),
        (
            "hub_footprints.csv",
            "region,hub,ccg_name,ods_code,ons_code,source",
            "region,hub,ccg_name,ods,ons_code,source",
            "hub_footprints.csv, line 1: missing column(s) ods_code",
        ),
        (
            "ccg_successions.csv",
            "00F,13T,NHS Newcastle Gateshead CCG,2015-04-01",
            "ZZZ,13T,NHS Newcastle Gateshead CCG,2015-04-01",
            "ccg_successions.csv, line 2: unknown predecessor ODS code 'ZZZ'",
        ),
        (
            "ccg_successions.csv",
            "00F,13T,NHS Newcastle Gateshead CCG,2015-04-01",
            "00F,13T,NHS Newcastle Gateshead CCG,1st April",
            "ccg_successions.csv, line 2: '1st April' is not a date",
        ),
    ],
)
def test_broken_file_is_refused_whole(register, data_dir, filename, old, new, expected):
    # Also change a good row, to show that nothing at all is written.
    _edit(data_dir / "hub_footprints.csv", "NHS Darlington CCG", "NHS Darlington Renamed CCG")
    _edit(data_dir / filename, old, new)
    before = _snapshot()
    with pytest.raises(CommandError) as raised:
        call_command("load_reference_data", data_dir=data_dir, stdout=StringIO())
    message = str(raised.value)
    assert "nothing was changed" in message
    assert expected in message
    assert _snapshot() == before
    assert CCG.objects.get(ods_code="00C").name == "NHS Darlington CCG"


def test_every_problem_is_reported_at_once(register, data_dir):
    _edit(data_dir / "hub_footprints.csv", "NHS Sunderland CCG,00P,", "NHS Sunderland CCG,00L,")
    _edit(data_dir / "programmes_of_care.csv", "Trauma,", "Cancer,")
    with pytest.raises(ReferenceDataError) as raised:
        reference_data_load(data_dir=data_dir)
    # Both mistakes, and what the first one breaks further on (00P is gone, so the 2022 file
    # names a CCG that was never open, and the area teams' and systems' files one not in the
    # register), are reported together.
    assert len(raised.value.problems) == 5
    assert any("ccg_area_teams_2013.csv, line 3: CCG '00P'" in p for p in raised.value.problems)
    assert any("ics_places.csv, line 5: commissioner '00P'" in p for p in raised.value.problems)
    assert any("duplicate ODS code '00L'" in p for p in raised.value.problems)
    assert any("duplicate Programme of Care 'Cancer'" in p for p in raised.value.problems)
    assert any("CCG '00P' was not open on 30 June 2022" in p for p in raised.value.problems)


def test_missing_file_is_named(register, data_dir):
    (data_dir / "programmes_of_care.csv").unlink()
    with pytest.raises(ReferenceDataError, match=r"programmes_of_care\.csv: file not found"):
        reference_data_load(data_dir=data_dir)


def test_command_reports_counts(register):
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "CCG: 0 created, 0 updated, 248 unchanged" in out.getvalue()
    assert "ICB: 0 created, 0 updated, 42 unchanged" in out.getvalue()
