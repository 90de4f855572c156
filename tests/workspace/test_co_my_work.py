"""My work shows each role its primary care co-commissioning tasks (issue 15, "What to build"
2; seed 002, "Model 2", "Model 3" and "Sign-off and approvals"), in bounded queries."""

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from cocommissioning import services
from cocommissioning.models import Application, ConflictsReview, Document, Model
from cocommissioning.timetable import windows_seed
from hubs.models import CCG
from tests.cocommissioning.conftest import APRIL_2015, APRIL_2016, attach, ready_delegated
from tests.factories import make_user
from tests.timeline.sweeps import D, at
from workspace.cocommissioning import co_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee_member(register):
    return make_user("cara@example.nhs.uk", "Cara Okafor", (Role.COMMISSIONING_COMMITTEE, None))


@pytest.fixture
def story(register, sunderland_lead, north_reviewer):
    """In the North: South Tyneside's delegated application for 1 April 2015 recommended; a joint
    draft led by Newcastle Gateshead waiting for Sunderland to confirm; Darlington's delegated
    application submitted and North Durham's under review with a question for its lead."""
    windows_seed()
    sunderland = CCG.objects.get(ods_code="00P")
    newcastle = CCG.objects.get(ods_code="13T")
    newcastle_lead = make_user("ng@example.nhs.uk", "Nia Gray", (Role.CCG_LEAD, newcastle))
    south_tyneside = CCG.objects.get(ods_code="00N")
    st_lead = make_user("st@example.nhs.uk", "Sam Tate", (Role.CCG_LEAD, south_tyneside))
    with time_machine.travel(at(D(2014, 12, 15)), tick=False):
        app = _submitted(st_lead, south_tyneside, north_reviewer)
        _assure_and_recommend(app, north_reviewer)
        services.application_create(
            by=newcastle_lead,
            lead_ccg=newcastle,
            model=Model.JOINT,
            go_live_on=APRIL_2015,
            partners=[sunderland],
        )
    with time_machine.travel(at(D(2015, 5, 1)), tick=False):
        draft = services.application_create(
            by=sunderland_lead,
            lead_ccg=sunderland,
            model=Model.DELEGATED,
            go_live_on=APRIL_2016,
            functions=["gms_pms"],
        )
    return {"sunderland": sunderland, "draft": draft, "newcastle_lead": newcastle_lead}


def _submitted(lead, ccg, region, *, review=True, **kwargs) -> Application:
    app = ready_delegated(lead, ccg, **kwargs)
    app = services.application_submit(by=lead, application=app, version=app.version)
    if review:
        app = services.review_start(by=region, application=app, version=app.version)
    return app


def more(n: int, north_reviewer, skip: int = 0) -> None:
    """n more CCGs of the North (after `skip`) with a delegated application for 1 April 2016:
    alternately submitted, and under review with a question for their lead (every fourth
    recommended to the Commissioning Committee)."""
    ccgs = (
        CCG.objects.valid_on(APRIL_2016)
        .filter(kind="ccg", hub__region__slug="north")
        .exclude(ods_code__in=["00P", "13T", "00N"])
    )
    with time_machine.travel(at(D(2015, 5, 10)), tick=False):
        for i, ccg in enumerate(ccgs.order_by("ods_code")[skip : skip + n]):
            lead = make_user(f"lead{ccg.ods_code}@example.nhs.uk", "A Lead", (Role.CCG_LEAD, ccg))
            app = _submitted(lead, ccg, north_reviewer, review=i % 2, go_live_on=APRIL_2016)
            if i % 2:
                services.message_add(
                    by=north_reviewer, application=app, kind="question", text="Which practices?"
                )
            if i % 4 == 3:
                _assure_and_recommend(app, north_reviewer)


def _assure_and_recommend(app, region) -> Application:
    review = ConflictsReview.objects.get(application=app)
    answers = {name: "met" for name, _ in ConflictsReview.CHECKS}
    services.conflicts_review_save(
        by=region, review=review, version=review.version, **answers, outcome="assured"
    )
    app.refresh_from_db()
    return services.application_recommend(by=region, application=app, version=app.version)


def test_each_role_sees_its_co_commissioning_tasks(
    client, story, sunderland_lead, north_reviewer, committee_member
):
    more(2, north_reviewer)
    sunderland = story["sunderland"]
    mine = co_tasks(sunderland_lead).ccgs[sunderland.pk]
    assert [a.pk for a in mine.drafts] == [story["draft"].pk]
    assert [a.lead_ccg.ods_code for a in mine.confirmations] == ["13T"]
    assert mine.changes_requested == []
    assert mine.questions == []
    region = co_tasks(north_reviewer).regions
    (north,) = region.values()
    assert len(north.submitted) == 1
    assert len(north.under_review) == 1
    assert [a.lead_ccg.ods_code for a in co_tasks(committee_member).sign_off] == ["00N"]

    client.force_login(sunderland_lead)
    page = client.get(reverse("workspace:my-work")).content.decode()
    assert "Draft: " in page
    assert "Confirm NHS Sunderland CCG takes part" in page
    client.force_login(committee_member)
    page = client.get(reverse("workspace:my-work")).content.decode()
    assert "Commissioning Committee member: England" in page
    assert "Recommended, awaiting sign-off" in page
    assert "NHS South Tyneside CCG" in page
    client.force_login(north_reviewer)
    page = client.get(reverse("workspace:my-work")).content.decode()
    assert "Submitted, to review" in page
    assert "Under your review" in page


def test_a_question_awaits_the_lead_until_answered_and_changes_requested_show(
    client, story, sunderland_lead, north_reviewer
):
    sunderland = story["sunderland"]
    with time_machine.travel(at(D(2015, 5, 20)), tick=False):
        app = Application.objects.get(pk=story["draft"].pk)
        attach(sunderland_lead, app, Document.Kind.CONSTITUTION)
        attach(sunderland_lead, app, Document.Kind.CONFLICTS)
        app = _submitted_existing(sunderland_lead, app, north_reviewer)
        services.message_add(
            by=north_reviewer, application=app, kind="question", text="Who leads on estates?"
        )
    assert [a.pk for a in co_tasks(sunderland_lead).ccgs[sunderland.pk].questions] == [app.pk]
    services.message_add(by=sunderland_lead, application=app, kind="answer", text="Our director.")
    assert co_tasks(sunderland_lead).ccgs[sunderland.pk].questions == []
    app.refresh_from_db()
    services.changes_request(
        by=north_reviewer, application=app, version=app.version, text="Add the estates plan."
    )
    assert [a.pk for a in co_tasks(sunderland_lead).ccgs[sunderland.pk].changes_requested] == [
        app.pk
    ]
    client.force_login(sunderland_lead)
    assert "Changes requested by the region" in client.get(reverse("workspace:my-work")).text


def _submitted_existing(lead, app, region) -> Application:
    app.refresh_from_db()
    app = services.application_submit(by=lead, application=app, version=app.version)
    return services.review_start(by=region, application=app, version=app.version)


@pytest.mark.parametrize("who", ["sunderland_lead", "north_reviewer", "committee_member"])
def test_my_work_makes_the_same_queries_for_few_or_many_applications(
    client, story, north_reviewer, committee_member, django_assert_max_num_queries, request, who
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    url = reverse("workspace:my-work")
    client.get(url)
    more(2, north_reviewer)  # a write: the page is made afresh (not from the page cache)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import cache_clear

    cache_clear()  # the header's unread count and the page cache: count every query, both times
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    more(12, north_reviewer, skip=2)
    assert Application.objects.count() > 15
    cache_clear()
    with django_assert_max_num_queries(len(few)):
        page = client.get(url)
    assert page.status_code == 200
