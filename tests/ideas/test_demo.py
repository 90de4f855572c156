"""The demo ideas (ideas/demo.py): three posts by the demo people, one followed and commented
on, one adopted by the North East and Cumbria plan's priority; loading twice changes nothing."""

import pytest

from accounts.models import Role
from hubs.models import CCG, Hub, ProgrammeOfCare, Region
from ideas.demo import PAEDIATRIC, RENAL, demo_ideas_load
from ideas.models import Adoption, Comment, Follow, Post
from national.models import ClinicalReferenceGroup
from priorities import services as plans
from tests.factories import make_group, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(register):
    nec = Hub.objects.get(slug="north-east-and-cumbria")
    people = {
        "sunderland.ccg@example.nhs.uk": (Role.CCG_LEAD, CCG.objects.get(ods_code="00P")),
        "nec.hub@example.nhs.uk": (Role.HUB_STAFF, nec),
        "london.hub@example.nhs.uk": (Role.HUB_STAFF, Hub.objects.get(slug="london")),
        "north.region@example.nhs.uk": (Role.REGIONAL_TEAM, Region.objects.get(slug="north")),
    }
    people = {email: make_user(email, email.split("@")[0], role) for email, role in people.items()}
    staff = people["nec.hub@example.nhs.uk"]
    plan = plans.plan_create(by=staff, group=make_group(by=staff), year=2015)
    plans.proposal_create(by=staff, plan=plan, ccg=None, title="Paediatric surgery", problem="P")
    return people


def test_the_demo_ideas_load_once(people):
    demo_ideas_load(people)
    demo_ideas_load(people)
    assert Post.objects.count() == 3
    renal = Post.objects.get(title=RENAL)
    assert Comment.objects.filter(post=renal).count() == 2
    london = people["london.hub@example.nhs.uk"]
    assert Follow.objects.filter(post=renal, user=london, ended_at=None).exists()
    adoption = Adoption.objects.get()
    assert (adoption.post.title, adoption.hub.slug) == (PAEDIATRIC, "north-east-and-cumbria")


def test_the_renal_idea_names_the_renal_crg_when_the_national_demo_added_it(people):
    renal = ClinicalReferenceGroup.objects.create(
        name="Renal Services", programme=ProgrammeOfCare.objects.get(name="Internal Medicine")
    )
    demo_ideas_load(people)
    assert Post.objects.get(title=RENAL).crg == renal
