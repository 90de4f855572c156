"""A delegated application from draft to live, and a joint one approved by the region (seed 002,
"Model 2", "Model 3", "Implementation timetable")."""

import datetime

import pytest
import time_machine

from cocommissioning import services
from cocommissioning.models import Application, Arrangement, ConflictsReview, Model
from commissioning.models import AuditEvent

from .conftest import APRIL_2015, ready_delegated, sign_off_at_meeting

pytestmark = pytest.mark.django_db
Status = Application.Status


def fresh(obj):
    obj.refresh_from_db()
    return obj


def assured_checklist() -> dict:
    answers = {name: "met" for name, _ in ConflictsReview.CHECKS}
    answers.update(
        {f"{name}_evidence": "Seen in the constitution." for name, _ in ConflictsReview.CHECKS}
    )
    return {**answers, "outcome": "assured", "outcome_note": "Robust arrangements."}


@time_machine.travel(datetime.datetime(2014, 12, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_a_delegated_application_goes_live_once(
    windows, sunderland, sunderland_lead, north_reviewer, committee_member
):
    application = ready_delegated(sunderland_lead, sunderland)
    application = services.application_submit(
        by=sunderland_lead, application=application, version=application.version
    )
    application = services.review_start(
        by=north_reviewer, application=application, version=application.version
    )
    with pytest.raises(services.RuleError, match="conflicts of interest review"):
        services.application_recommend(
            by=north_reviewer, application=application, version=application.version
        )
    review = ConflictsReview.objects.get(application=application)
    services.conflicts_review_save(
        by=north_reviewer, review=review, version=review.version, **assured_checklist()
    )
    application = services.application_recommend(
        by=north_reviewer, application=fresh(application), version=fresh(application).version
    )
    assert application.status == Status.RECOMMENDED
    application = sign_off_at_meeting(committee_member, application)
    assert application.status == Status.IMPLEMENTING
    assert services.applications_go_live(day=datetime.date(2015, 3, 31)) == 0
    assert services.applications_go_live(day=APRIL_2015) == 1
    assert services.applications_go_live(day=APRIL_2015) == 0  # once
    arrangement = Arrangement.objects.get(ccg=sunderland)
    assert (arrangement.model, arrangement.valid_from) == (Model.DELEGATED, APRIL_2015)
    assert fresh(application).status == Status.LIVE
    verbs = list(
        AuditEvent.objects.filter(target_id=str(application.pk)).values_list("verb", flat=True)
    )
    assert "cocommissioning.application.signed_off" in verbs
