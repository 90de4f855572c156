"""The register from 2013 to today: the open organisations on each date (issue 13, part 1)."""

import datetime

import pytest

from hubs.models import CCG, CCGSuccession
from hubs.querysets import valid_on_q

D = datetime.date


def _open(day, kind):
    return CCG.objects.filter(valid_on_q(day), kind=kind).count()


@pytest.mark.parametrize(
    ("day", "ccgs", "icbs"),
    [
        (D(2013, 4, 1), 211, 0),
        (D(2015, 3, 31), 211, 0),
        (D(2015, 4, 1), 209, 0),
        (D(2017, 4, 1), 207, 0),
        (D(2018, 4, 1), 195, 0),
        (D(2019, 4, 1), 191, 0),
        (D(2020, 4, 1), 135, 0),
        (D(2021, 4, 1), 106, 0),
        (D(2022, 6, 30), 106, 0),
        (D(2022, 7, 1), 0, 42),
        (D(2026, 12, 4), 0, 42),
    ],
)
def test_open_organisations_on_each_date(register, day, ccgs, icbs):
    assert _open(day, CCG.Kind.CCG) == ccgs
    assert _open(day, CCG.Kind.ICB) == icbs


def test_wessex_had_19_ccgs_in_2015_16(register):
    wessex = CCG.objects.filter(valid_on_q(D(2015, 4, 1)), hub__slug="wessex")
    assert wessex.count() == 19
    assert not wessex.filter(ods_code="15A").exists()  # Berkshire West was formed in 2018


def test_every_ccg_closes_by_30_june_2022_and_names_its_icb(register):
    assert not CCG.objects.filter(kind=CCG.Kind.CCG, valid_to__isnull=True).exists()
    assert not CCG.objects.filter(kind=CCG.Kind.CCG, valid_to__gt=D(2022, 6, 30)).exists()
    sunderland_ccg = CCG.objects.get(ods_code="00P")
    link = sunderland_ccg.successor_links.get()
    assert link.effective_date == D(2022, 7, 1)
    assert link.successor.name == "NHS North East and North Cumbria Integrated Care Board"
    assert link.is_replacement
    # The 106 CCGs open on 30 June 2022 each pass to one ICB.
    assert CCGSuccession.objects.filter(effective_date=D(2022, 7, 1)).count() == 106


def test_icbs_open_on_1_july_2022_with_their_2022_region_and_hub(register):
    qhm = CCG.objects.get(ods_code="QHM")
    assert qhm.kind == CCG.Kind.ICB
    assert qhm.kind_label == "ICB"
    assert qhm.valid_from == D(2022, 7, 1)
    assert qhm.valid_to is None
    assert qhm.nhs_region == "North East and Yorkshire"
    assert qhm.hub.name == "North East and Cumbria"
    assert qhm.predecessor_links.count() >= 8
    # The 2015 regions are unchanged: the hub is still in the North region.
    assert qhm.hub.region.name == "North"


@pytest.mark.parametrize(
    ("code", "hub"),
    [
        ("QT1", "East Midlands"),  # Bassetlaw (Yorkshire and Humber) + 6 Nottinghamshire CCGs
        ("QNQ", "Wessex"),  # Frimley: 4 Wessex CCGs and 1 South East
        ("QHG", "East of England"),  # Bedfordshire and Luton, and Milton Keynes
        ("D4U1Y", "Wessex"),
        ("M1J4Y", "East of England"),
    ],
)
def test_organisations_from_more_than_one_hub_say_so(register, code, hub):
    org = CCG.objects.get(ods_code=code)
    assert org.hub.name == hub
    assert "more than one hub" in org.hub_note
    assert hub in org.hub_note


def test_single_hub_organisations_have_no_note(register):
    assert CCG.objects.exclude(hub_note="").count() == 5


def test_five_character_codes_load(register):
    codes = {"A3A8R", "B2M3M", "D2P2L", "D4U1Y", "D9Y0V", "M1J4Y", "M2L0M", "W2U3Z", "X2C4Y"}
    assert set(CCG.objects.filter(ods_code__in=codes).values_list("ods_code", flat=True)) == codes


def test_split_ccgs_keep_the_note(register):
    link = CCGSuccession.objects.get(predecessor__ods_code="01Y")
    assert link.successor.ods_code == "QOP"
    assert "Glossop" in link.note
