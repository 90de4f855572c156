"""The national structures' rules (issue 17, "Bad input"): each refusal names its field and
changes nothing."""

import datetime

import pytest

from commissioning.concurrency import ConflictError
from commissioning.errors import NotAllowed, RuleError, StateConflict
from hubs.models import Region
from meetings.models import Meeting
from national import services
from national.models import LeadershipSeat, Nomination, SeatTerm

from .conftest import APRIL_2016, MARCH_2019, ccg, held_meeting, nominate, programme, snapshot

pytestmark = pytest.mark.django_db


def refused(call, field: str, error=RuleError):
    before = snapshot()
    with pytest.raises(error) as raised:
        call()
    assert raised.value.field == field
    assert snapshot() == before
    return str(raised.value)


# --- Programme of Care boards ---------------------------------------------------------------


def _hold(by, name="Dr Jo Bell", start=datetime.date(2015, 4, 1), end=None, seat="chair"):
    return services.holding_add(
        by=by,
        programme=programme(),
        seat=seat,
        name=name,
        organisation="NHS England North",
        start_date=start,
        end_date=end,
    )


def test_board_seat_holders_through_time(national_admin):
    first = _hold(national_admin, end=datetime.date(2017, 3, 31))
    second = _hold(national_admin, name="Dr Sam Ode", start=datetime.date(2017, 4, 1))
    assert first.is_valid_on(datetime.date(2016, 1, 1))
    assert second.is_valid_on(datetime.date(2018, 1, 1))
    assert not first.is_valid_on(datetime.date(2018, 1, 1))


def test_two_holders_of_one_leadership_seat_at_once_refused(national_admin):
    _hold(national_admin)
    message = refused(
        lambda: _hold(national_admin, name="Dr Sam Ode", start=datetime.date(2016, 4, 1)),
        "start_date",
    )
    assert "Dr Jo Bell holds this seat" in message
    # Another seat of the same board is free.
    _hold(national_admin, name="Dr Sam Ode", seat=LeadershipSeat.CLINICAL_VICE_CHAIR)


def test_holding_update_stale_version_and_overlap(national_admin):
    jo = _hold(national_admin, end=datetime.date(2017, 3, 31))
    sam = _hold(national_admin, name="Dr Sam Ode", start=datetime.date(2017, 4, 1))
    refused(
        lambda: services.holding_update(
            by=national_admin, holding=jo, version=jo.version, end_date=None
        ),
        "start_date",
    )
    services.holding_update(by=national_admin, holding=sam, version=1, organisation="NHSE")
    before = snapshot()
    with pytest.raises(ConflictError):
        services.holding_update(by=national_admin, holding=sam, version=1, organisation="X")
    assert snapshot() == before


# --- CRGs and seats -------------------------------------------------------------------------


def test_crg_with_four_seats_one_per_region(crg):
    assert sorted(crg.seats.values_list("region__slug", flat=True)) == [
        "london",
        "midlands-and-east",
        "north",
        "south",
    ]


def test_fifth_seat_and_second_seat_for_a_region_refused(crg, national_admin):
    north = Region.objects.get(slug="north")
    assert "seat for the North region already" in refused(
        lambda: services.seat_add(by=national_admin, crg=crg, region=north), "region"
    )
    extra = Region.objects.create(name="Elsewhere", slug="elsewhere", valid_from=APRIL_2016)
    assert "4 local commissioner seats" in refused(
        lambda: services.seat_add(by=national_admin, crg=crg, region=extra), "region"
    )


def test_crg_name_unique_and_stale_version(crg, national_admin):
    refused(
        lambda: services.crg_create(
            by=national_admin, name=" cardiac services ", programme=programme()
        ),
        "name",
    )
    services.crg_update(by=national_admin, crg=crg, version=1, chair="Dr B")
    before = snapshot()
    with pytest.raises(ConflictError):
        services.crg_update(by=national_admin, crg=crg, version=1, archived=True)
    assert snapshot() == before


def test_document_needs_link_or_file_and_only_pdf_or_docx(crg, national_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused(
        lambda: services.document_add(
            by=national_admin, crg=crg, title="Spec", kind="specification"
        ),
        "url",
    )
    bad = SimpleUploadedFile("spec.pdf", b"<script>alert(1)</script>")
    refused(
        lambda: services.document_add(
            by=national_admin, crg=crg, title="Spec", kind="specification", file=bad
        ),
        "file",
    )
    good = SimpleUploadedFile("spec.pdf", b"%PDF-1.4 test")
    document = services.document_add(
        by=national_admin, crg=crg, title="Spec", kind="specification", file=good
    )
    services.document_version_add(
        by=national_admin, document=document, file=SimpleUploadedFile("v2.pdf", b"%PDF-1.4 v2")
    )
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]


# --- nominations ----------------------------------------------------------------------------


def test_nomination_accepted_fills_the_seat(nomination, national_admin):
    term = services.nomination_accept(by=national_admin, nomination=nomination, version=1)
    assert term.holder_name == "Dr Priya Nair"
    assert term.seat == nomination.seat
    assert (term.start_date, term.end_date) == (APRIL_2016, MARCH_2019)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.ACCEPTED
    before = snapshot()
    with pytest.raises(ConflictError):
        services.nomination_accept(by=national_admin, nomination=nomination, version=1)
    with pytest.raises(StateConflict):
        services.nomination_accept(by=national_admin, nomination=nomination, version=2)
    assert snapshot() == before


def test_decline_needs_a_reason(nomination, national_admin):
    refused(
        lambda: services.nomination_decline(
            by=national_admin, nomination=nomination, version=1, reason="  "
        ),
        "reason",
    )
    services.nomination_decline(
        by=national_admin, nomination=nomination, version=1, reason="Term too long"
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.DECLINED
    assert not SeatTerm.objects.exists()


def test_overlapping_terms_refused(
    nomination, national_admin, north_seat, nec_meeting, nec_hub_officer
):
    services.nomination_accept(by=national_admin, nomination=nomination, version=1)
    assert "Dr Priya Nair holds this seat" in refused(
        lambda: nominate(
            north_seat, nec_meeting, nec_hub_officer, term_start=datetime.date(2018, 4, 1)
        ),
        "term_start",
    )
    # The term after hers is fine.
    nominate(
        north_seat,
        nec_meeting,
        nec_hub_officer,
        term_start=datetime.date(2019, 4, 1),
        term_end=datetime.date(2022, 3, 31),
    )


def test_two_awaiting_nominations_overlap_only_one_accepted(
    nomination, national_admin, north_seat, nec_meeting, nec_hub_officer
):
    rival = nominate(north_seat, nec_meeting, nec_hub_officer, nominee_name="Dr Ben Cole")
    services.nomination_accept(by=national_admin, nomination=nomination, version=1)
    refused(
        lambda: services.nomination_accept(by=national_admin, nomination=rival, version=1),
        "term_start",
    )


def test_nomination_from_another_regions_group_refused(
    north_seat, london_meeting, london_hub_officer
):
    message = refused(
        lambda: nominate(north_seat, london_meeting, london_hub_officer, ccg=ccg("07L")),
        "meeting",
    )
    assert "London region" in message
    assert "North region's" in message


def test_nomination_at_a_meeting_not_held_refused(north_seat, nec_group, nec_hub_officer):
    from meetings import services as meeting_services

    from .conftest import WHEN

    scheduled = meeting_services.meeting_schedule(
        by=nec_hub_officer, group=nec_group, title="May", starts_at=WHEN, location="", online=True
    )
    assert scheduled.status == Meeting.Status.SCHEDULED
    assert "held" in refused(lambda: nominate(north_seat, scheduled, nec_hub_officer), "meeting")


def test_nomination_at_a_meeting_of_a_group_not_run_refused(
    north_seat, nec_meeting, london_hub_officer
):
    refused(lambda: nominate(north_seat, nec_meeting, london_hub_officer), "meeting", NotAllowed)


def test_nominee_ccg_outside_the_hub_or_not_open_refused(north_seat, nec_meeting, nec_hub_officer):
    # Leeds North CCG (02V) is in Yorkshire and Humber, not North East and Cumbria.
    assert "not in the North East and Cumbria hub" in refused(
        lambda: nominate(north_seat, nec_meeting, nec_hub_officer, ccg=ccg("02V")), "ccg"
    )
    # Sunderland CCG closed on 30 June 2022: not open on a term starting in 2023.
    assert "not open on" in refused(
        lambda: nominate(
            north_seat,
            nec_meeting,
            nec_hub_officer,
            term_start=datetime.date(2023, 4, 1),
            term_end=datetime.date(2026, 3, 31),
        ),
        "ccg",
    )


def test_term_ending_before_it_starts_refused(north_seat, nec_meeting, nec_hub_officer):
    refused(
        lambda: nominate(
            north_seat, nec_meeting, nec_hub_officer, term_end=datetime.date(2015, 1, 1)
        ),
        "term_end",
    )


def test_archived_crg_takes_no_nominations(
    crg, north_seat, nec_meeting, nec_hub_officer, national_admin
):
    services.crg_update(by=national_admin, crg=crg, version=1, archived=True)
    north_seat.refresh_from_db()
    with pytest.raises(StateConflict):
        nominate(north_seat, nec_meeting, nec_hub_officer)


def test_held_meeting_helper(nec_group, nec_hub_officer):
    assert held_meeting(nec_group, nec_hub_officer).is_held
