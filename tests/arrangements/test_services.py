"""The formal arrangements' rules (issue 16, "Bad input"; seed 003, "Place Based Commissioning
Options"): every refusal names its field and changes nothing; the status machine; reminders."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from arrangements import services, tasks
from arrangements.models import Arrangement
from arrangements.services import ArrangementError
from commissioning.concurrency import ConflictError
from commissioning.errors import StateConflict
from commissioning.models import AuditEvent, OutboxItem
from hubs.models import Hub
from oversight.models import OversightGroup

from .conftest import APRIL_2021, JULY_2022, agreed, ccg, fresh, pdf, pool, snapshot

pytestmark = pytest.mark.django_db


def refused(field: str, call, *args, **kwargs) -> str:
    before = snapshot()
    with pytest.raises(ArrangementError) as refusal:
        call(*args, **kwargs)
    assert refusal.value.field == field
    assert snapshot() == before
    return str(refusal.value)


# --- recording ---------------------------------------------------------------------------


def test_a_pool_is_recorded_proposed_with_nhs_england_implicit(nec_hub_officer, nenc):
    arrangement = pool(nec_hub_officer, nenc, host=ccg("00P"))
    assert arrangement.status == "proposed"
    assert list(arrangement.parties.values_list("ods_code", flat=True)) == ["00P"]
    assert arrangement.host_name == "NHS Sunderland CCG"
    assert arrangement.first_year == 2021
    assert arrangement.history.count() == 1
    event = AuditEvent.objects.get(verb="arrangements.created")
    assert event.data["parties"] == ["00P"]
    assert event.actor == nec_hub_officer


def test_the_icb_is_a_party_from_july_2022(nec_hub_officer, nenc):
    arrangement = pool(nec_hub_officer, nenc, parties=[ccg("QHM")], start_date=JULY_2022)
    assert arrangement.first_year == 2022


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"services": "  "}, "services", "A pooled budget needs the services it pools"),
        ({"programmes": []}, "programmes", "A pooled budget needs the services it pools"),
        ({"legal_basis": "delegation"}, "legal_basis", "section 13V"),
        ({"kind": "joint_appointment", "legal_basis": "other"}, "legal_basis_other", "other"),
        (
            {"kind": "internal_delegation", "legal_basis": "delegation", "programmes": []},
            "programmes",
            "at least one Programme of Care",
        ),
        ({"end_date": datetime.date(2021, 3, 31)}, "end_date", "on or after the start date"),
        ({"review_date": datetime.date(2021, 1, 1)}, "review_date", "on or after the start"),
        ({"parties": []}, "parties", "Choose the commissioners"),
        # NHS North Durham CCG merged into County Durham CCG on 1 April 2020.
        ({"parties": ["00J"]}, "parties", "NHS North Durham CCG was not open on 1 April 2021"),
        # Open on the day, but in no system of the North East: Birmingham's ICB.
        (
            {"parties": ["QHL"], "start_date": JULY_2022},
            "parties",
            "was not a commissioner in North East and North Cumbria ICS on 1 July 2022",
        ),
        # The ICB was not open before 1 July 2022.
        ({"parties": ["QHM"]}, "parties", "was not open on 1 April 2021"),
        ({"host": "QHM"}, "host", "NHS England or one of the parties"),
        ({"title": " "}, "title", "title"),
        ({"start_date": datetime.date(2017, 4, 1)}, "start_date", "did not exist"),
    ],
)
def test_bad_input_is_refused_beside_its_field(nec_hub_officer, nenc, overrides, field, words):
    if "host" in overrides:
        overrides["host"] = ccg(overrides["host"])
    if overrides.get("parties"):
        overrides["parties"] = [ccg(code) for code in overrides["parties"]]
    message = refused(field, pool, nec_hub_officer, nenc, **overrides)
    assert words in message


def test_the_board_must_be_a_strategy_board_of_the_system(nec_hub_officer, nenc, register):
    hub = nenc.hub
    OversightGroup.objects.filter(hub=hub).exclude(status="closed").update(
        status="closed", closed_on=datetime.date(2019, 3, 31)
    )
    board = OversightGroup.objects.create(
        hub=hub,
        name="NENC Specialised Commissioning Strategy Board",
        kind="strategy_board",
        system=nenc,
        start_date=datetime.date(2019, 4, 1),
    )
    arrangement = pool(nec_hub_officer, nenc, board=board)
    assert arrangement.board == board
    london = OversightGroup.objects.create(
        hub=Hub.objects.get(slug="london"), name="London group", start_date=APRIL_2021
    )
    refused("board", pool, nec_hub_officer, nenc, board=london)


# --- changing -------------------------------------------------------------------------------


def test_an_edit_names_its_version_and_a_stale_one_changes_nothing(nec_hub_officer, nenc):
    arrangement = pool(nec_hub_officer, nenc)
    services.arrangement_update(
        by=nec_hub_officer,
        arrangement=arrangement,
        version=1,
        title="Cardiac pool",
        parties=[ccg("00P"), ccg("00N")],
    )
    arrangement = fresh(arrangement)
    assert arrangement.title == "Cardiac pool"
    assert arrangement.version == 2
    assert arrangement.parties.count() == 2
    assert AuditEvent.objects.get(verb="arrangements.updated").data["fields"] == [
        "title",
        "parties",
    ]
    before = snapshot()
    with pytest.raises(ConflictError):
        services.arrangement_update(
            by=nec_hub_officer, arrangement=arrangement, version=1, title="Stale"
        )
    assert snapshot() == before


def test_an_edit_keeps_the_rules(nec_hub_officer, nenc):
    arrangement = pool(nec_hub_officer, nenc)
    refused(
        "services",
        services.arrangement_update,
        by=nec_hub_officer,
        arrangement=arrangement,
        version=1,
        services="",
    )
    services.contribution_add(
        by=nec_hub_officer,
        arrangement=arrangement,
        party=ccg("00P"),
        year=2021,
        amount=Decimal(5),
    )
    refused(
        "parties",
        services.arrangement_update,
        by=nec_hub_officer,
        arrangement=arrangement,
        version=1,
        parties=[ccg("00N")],
    )
    refused(
        "start_date",
        services.arrangement_update,
        by=nec_hub_officer,
        arrangement=arrangement,
        version=1,
        start_date=datetime.date(2022, 4, 1),
    )


# --- contributions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("party", "year", "amount", "field", "words"),
    [
        ("nhse", 2021, -1, "amount", "cannot be negative"),
        ("nhse", 2021, 1_000_000_001, "amount", "looks like a typing slip"),
        ("00N", 2021, 10, "party", "not a party"),
        ("nhse", 2020, 10, "year", "starts in 2021/22"),
    ],
)
def test_bad_contributions_are_refused(nec_hub_officer, nenc, party, year, amount, field, words):
    arrangement = pool(nec_hub_officer, nenc)
    message = refused(
        field,
        services.contribution_add,
        by=nec_hub_officer,
        arrangement=arrangement,
        party=None if party == "nhse" else ccg(party),
        year=year,
        amount=Decimal(amount),
    )
    assert words in message


def test_one_contribution_per_party_per_year(nec_hub_officer, nenc):
    arrangement = pool(nec_hub_officer, nenc)
    for party in (None, ccg("00P")):
        services.contribution_add(
            by=nec_hub_officer,
            arrangement=arrangement,
            party=party,
            year=2021,
            amount=Decimal(100),
        )
        message = refused(
            "year",
            services.contribution_add,
            by=nec_hub_officer,
            arrangement=arrangement,
            party=party,
            year=2021,
            amount=Decimal(200),
        )
        assert "already" in message
    services.contribution_add(
        by=nec_hub_officer, arrangement=arrangement, party=None, year=2022, amount=Decimal(1)
    )
    assert arrangement.contributions.count() == 3


def test_a_contribution_is_corrected_with_its_version(nec_hub_officer, nenc):
    arrangement = pool(nec_hub_officer, nenc)
    row = services.contribution_add(
        by=nec_hub_officer, arrangement=arrangement, party=None, year=2021, amount=Decimal(100)
    )
    services.contribution_update(by=nec_hub_officer, contribution=row, version=1, amount=Decimal(0))
    assert fresh(row).amount == 0
    assert fresh(row).version == 2
    refused(
        "amount",
        services.contribution_update,
        by=nec_hub_officer,
        contribution=row,
        version=2,
        amount=Decimal(-5),
    )
    before = snapshot()
    with pytest.raises(ConflictError):
        services.contribution_update(
            by=nec_hub_officer, contribution=row, version=1, amount=Decimal(7)
        )
    assert snapshot() == before


# --- the signed agreement -----------------------------------------------------------------


def test_each_upload_is_a_new_version_and_only_pdf_or_docx(nec_hub_officer, nenc):
    arrangement = pool(nec_hub_officer, nenc)
    first = services.agreement_upload(by=nec_hub_officer, arrangement=arrangement, file=pdf())
    second = services.agreement_upload(
        by=nec_hub_officer, arrangement=arrangement, file=pdf("signed.pdf"), note="Signed copy"
    )
    assert (first.number, second.number) == (1, 2)
    assert arrangement.agreements.count() == 2
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = SimpleUploadedFile("agreement.pdf", b"not a pdf at all", content_type="application/pdf")
    assert "PDF or a Word document" in refused(
        "file", services.agreement_upload, by=nec_hub_officer, arrangement=arrangement, file=text
    )


# --- the status machine ---------------------------------------------------------------------


def move(by, arrangement, status, **kwargs):
    return services.arrangement_move(
        by=by, arrangement=arrangement, version=fresh(arrangement).version, status=status, **kwargs
    )


def test_proposed_agreed_live_under_review_live_ended(nec_hub_officer, nenc):
    arrangement = pool(nec_hub_officer, nenc)
    message = refused("status", move, nec_hub_officer, arrangement, "agreed")
    assert "none yet from NHS England, NHS Sunderland CCG" in message
    services.contribution_add(
        by=nec_hub_officer, arrangement=arrangement, party=None, year=2021, amount=Decimal(10)
    )
    assert "none yet from NHS Sunderland CCG" in refused(
        "status", move, nec_hub_officer, arrangement, "agreed"
    )
    services.contribution_add(
        by=nec_hub_officer,
        arrangement=arrangement,
        party=ccg("00P"),
        year=2021,
        amount=Decimal(0),
    )
    assert "cannot become live" in refused("status", move, nec_hub_officer, arrangement, "live")
    move(nec_hub_officer, arrangement, "agreed")
    assert "Upload the signed agreement" in refused(
        "status", move, nec_hub_officer, arrangement, "live"
    )
    services.agreement_upload(by=nec_hub_officer, arrangement=arrangement, file=pdf())
    move(nec_hub_officer, arrangement, "live")
    move(nec_hub_officer, arrangement, "under_review", note="Annual review")
    move(nec_hub_officer, arrangement, "live")
    assert "end date" in refused("end_date", move, nec_hub_officer, arrangement, "ended")
    assert "on or after" in refused(
        "end_date",
        move,
        nec_hub_officer,
        arrangement,
        "ended",
        end_date=datetime.date(2020, 1, 1),
    )
    move(nec_hub_officer, arrangement, "ended", end_date=datetime.date(2024, 3, 31))
    arrangement = fresh(arrangement)
    assert arrangement.status == "ended"
    assert arrangement.end_date == datetime.date(2024, 3, 31)
    statuses = [h.status for h in arrangement.history.order_by("history_date", "history_id")]
    assert statuses[-6:] == ["proposed", "agreed", "live", "under_review", "live", "ended"]
    events = AuditEvent.objects.filter(verb="arrangements.status_changed").order_by("pk")
    assert [(e.data["was"], e.data["now"]) for e in events] == [
        ("proposed", "agreed"),
        ("agreed", "live"),
        ("live", "under_review"),
        ("under_review", "live"),
        ("live", "ended"),
    ]
    # Ended: kept as it was.
    for call in (
        lambda: move(nec_hub_officer, arrangement, "live"),
        lambda: services.arrangement_update(
            by=nec_hub_officer, arrangement=arrangement, version=arrangement.version, title="X"
        ),
        lambda: services.contribution_add(
            by=nec_hub_officer, arrangement=arrangement, party=None, year=2022, amount=Decimal(1)
        ),
        lambda: services.agreement_upload(by=nec_hub_officer, arrangement=arrangement, file=pdf()),
    ):
        before = snapshot()
        with pytest.raises(StateConflict):
            call()
        assert snapshot() == before


def test_a_stale_status_change_changes_nothing(nec_hub_officer, nenc):
    arrangement = agreed(nec_hub_officer, pool(nec_hub_officer, nenc))
    before = snapshot()
    with pytest.raises(ConflictError):
        services.arrangement_move(
            by=nec_hub_officer,
            arrangement=arrangement,
            version=1,
            status="ended",
            end_date=APRIL_2021,
        )
    assert snapshot() == before


def test_arrangements_are_never_deleted(nec_hub_officer, nenc):
    from django.db.models import ProtectedError

    arrangement = agreed(nec_hub_officer, pool(nec_hub_officer, nenc))
    with pytest.raises(ProtectedError):
        arrangement.delete()


# --- reviews due remind their owners ------------------------------------------------------


@time_machine.travel(datetime.datetime(2022, 2, 10, 9, tzinfo=datetime.UTC))
def test_a_review_due_within_28_days_is_owed_one_email(nec_hub_officer, north_reviewer, nenc):
    due = pool(nec_hub_officer, nenc, title="Due", review_date=datetime.date(2022, 3, 1))
    pool(nec_hub_officer, nenc, title="Later", review_date=datetime.date(2022, 3, 20))
    pool(nec_hub_officer, nenc, title="None", review_date=None)
    ended = pool(nec_hub_officer, nenc, title="Ended", review_date=datetime.date(2022, 2, 20))
    move(nec_hub_officer, ended, "ended", end_date=datetime.date(2022, 1, 31))

    assert tasks.reviews_due_remind() == 1
    assert tasks.reviews_due_remind() == 0  # owed once per arrangement and review date
    item = OutboxItem.objects.get(key__startswith="arrangement-review:")
    assert item.key == f"arrangement-review:{due.pk}:2022-03-01"
    assert item.args == [due.pk, "2022-03-01"]

    mail.outbox.clear()
    assert tasks.review_reminder_send(*item.args) == 1
    (email,) = mail.outbox
    assert email.to == [nec_hub_officer.email]  # the hub's staff, not the region's team
    assert email.subject == "Review due 1 March 2022: Due"
    assert f"/arrangements/{due.pk}/" in email.body

    # A new review date is owed its own reminder; the old one is sent no more.
    services.arrangement_update(
        by=nec_hub_officer,
        arrangement=due,
        version=fresh(due).version,
        review_date=datetime.date(2022, 3, 8),
    )
    assert tasks.reviews_due_remind() == 1
    mail.outbox.clear()
    assert tasks.review_reminder_send(*item.args) == 0
    assert mail.outbox == []


@time_machine.travel(datetime.datetime(2022, 2, 10, 9, tzinfo=datetime.UTC))
def test_with_no_hub_staff_the_regional_team_is_reminded(north_reviewer, nenc, national_admin):
    due = pool(north_reviewer, nenc, review_date=datetime.date(2022, 2, 28))
    assert services.reviews_due_remind(day=datetime.date(2022, 2, 10)) == 1
    mail.outbox.clear()
    assert tasks.review_reminder_send(due.pk, "2022-02-28") == 1
    assert mail.outbox[0].to == [north_reviewer.email]


def test_the_sweep_is_in_the_beat_schedule(settings):
    tasks_scheduled = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "arrangements.tasks.reviews_due_remind" in tasks_scheduled


def test_an_arrangement_is_labelled_by_its_year(nec_hub_officer, nenc):
    arrangement = pool(
        nec_hub_officer, nenc, start_date=datetime.date(2022, 3, 31), review_date=None
    )
    assert arrangement.first_year == 2021
    assert Arrangement.objects.count() == 1


def test_an_arrangement_may_come_from_an_exemplar_of_its_own_system(
    nec_hub_officer, nenc, london_hub_officer
):
    """Seed 003: the cardiology exemplar explores "more formal place based arrangements"; the
    arrangement it leads to names it. An exemplar of another system is refused beside its field."""
    from exemplars import services as exemplars
    from hubs.models import IntegratedCareSystem

    cardiology = exemplars.exemplar_create(
        by=nec_hub_officer,
        system=nenc,
        title="Cardiology pathway exemplar",
        pathway="Cardiology",
        start_date=datetime.date(2018, 9, 1),
    )
    arrangement = pool(nec_hub_officer, nenc, exemplar=cardiology)
    assert fresh(arrangement).exemplar == cardiology
    other = IntegratedCareSystem.objects.create(
        name="Elsewhere ICS",
        short_name="ELS",
        hub=Hub.objects.get(slug="london"),
        valid_from=datetime.date(2018, 4, 1),
    )
    elsewhere = exemplars.exemplar_create(
        by=london_hub_officer,
        system=other,
        title="Elsewhere's exemplar",
        pathway="Renal",
        start_date=datetime.date(2018, 9, 1),
    )
    before = snapshot()
    with pytest.raises(ArrangementError) as refused:
        services.arrangement_update(
            by=nec_hub_officer,
            arrangement=arrangement,
            version=fresh(arrangement).version,
            exemplar=elsewhere,
        )
    assert refused.value.field == "exemplar"
    assert snapshot() == before
