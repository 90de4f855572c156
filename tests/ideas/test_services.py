"""The idea exchange's rules (issue 17, "What to build" 5; seed 000 §4.2, §4.2.1), called
directly: who posts for which organisation, versioned edits, comments, follows, put me in touch,
adoption by another hub, moderation (hidden with a reason, never deleted), and bad input refused
beside its field with nothing changed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from commissioning.concurrency import ConflictError
from commissioning.errors import NotAllowed, RuleError, StateConflict
from commissioning.limits import LONG_TEXT
from commissioning.models import OutboxItem
from hubs.models import CCG, Hub, ProgrammeOfCare, Region
from ideas import selectors, services
from ideas.models import Adoption, Follow, Organisation, Post
from ideas.permissions import organisations_of
from tests.factories import make_user

from .conftest import audited, fresh, share, snapshot

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_ccg_lead_shares_an_idea_for_their_ccg_and_follows_it(sunderland_lead):
    post = share(sunderland_lead, title="Shared care for home dialysis")
    assert (post.organisation, post.ccg.ods_code, post.hub.slug, post.region.slug) == (
        Organisation.CCG,
        "00P",
        "north-east-and-cumbria",
        "north",
    )
    assert post.organisation_name == "NHS Sunderland CCG"
    assert post.theme_values == ["pathway", "experience"]
    assert [p.name for p in post.programmes.all()] == ["Internal Medicine"]
    assert Follow.objects.filter(post=post, user=sunderland_lead, ended_at=None).exists()
    assert audited("post_created").count() == 1
    assert [h.version for h in selectors.post_history(post)] == [1]


def test_someone_with_several_roles_chooses_the_organisation(register):
    nec = Hub.objects.get(slug="north-east-and-cumbria")
    north = Region.objects.get(slug="north")
    both = make_user(
        "both@example.nhs.uk", "Bo Th", (Role.HUB_STAFF, nec), (Role.REGIONAL_TEAM, north)
    )
    keys = [c.key for c in organisations_of(both)]
    assert keys == [f"hub:{nec.pk}", f"region:{north.pk}"]
    before = snapshot()
    with pytest.raises(RuleError) as refused:
        share(both)
    assert refused.value.field == "organisation"
    with pytest.raises(RuleError):
        share(both, organisation=f"ccg:{CCG.objects.get(ods_code='00P').pk}")
    assert snapshot() == before
    post = share(both, organisation=f"region:{north.pk}")
    assert (post.organisation, post.hub, post.region) == (Organisation.REGION, None, north)
    assert post.organisation_name == "North regional team"


@pytest.mark.parametrize(
    "persona", ["national_admin", "nenc_ics_lead", "roleless_user", "committee_member"]
)
def test_only_hub_staff_ccg_leads_and_regional_teams_post(persona, request):
    if persona == "committee_member":
        person = make_user("cara@example.nhs.uk", "Cara", (Role.COMMISSIONING_COMMITTEE, None))
    else:
        person = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        share(person)
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("field", "changes", "message"),
    [
        ("title", {"title": "   "}, "Enter a title for the idea"),
        ("problem", {"problem": ""}, "Describe the problem the idea answers"),
        ("themes", {"themes": ["astrology"]}, "Choose themes from the list."),
        ("problem", {"problem": "x" * (LONG_TEXT + 1)}, "Enter 20,000 characters or fewer"),
    ],
)
def test_bad_input_is_refused_beside_its_field(sunderland_lead, post, field, changes, message):
    before = snapshot()
    with pytest.raises(RuleError) as refused:
        share(sunderland_lead, **changes)
    assert (refused.value.field, str(refused.value)) == (field, message)
    with pytest.raises(RuleError):
        services.post_update(
            by=sunderland_lead,
            post=post,
            version=post.version,
            **{
                "title": post.title,
                "problem": post.problem,
                **changes,
            },
        )
    assert snapshot() == before


def test_the_author_edits_with_the_version_and_a_stale_edit_is_refused(sunderland_lead, post):
    cancer = ProgrammeOfCare.objects.get(name="Cancer")
    services.post_update(
        by=sunderland_lead,
        post=post,
        version=1,
        title="One-stop renal and transplant clinic",
        problem=post.problem,
        programmes=[cancer],
        themes=["value"],
    )
    post = fresh(post)
    assert (post.version, post.title, post.theme_values) == (2, post.title, ["value"])
    assert list(post.programmes.all()) == [cancer]
    assert [h.version for h in selectors.post_history(post)] == [2, 1]
    assert [p.programmeofcare_id for p in selectors.post_history(post)[0].programmes.all()] == [
        cancer.pk
    ]
    before = snapshot()
    with pytest.raises(ConflictError) as stale:
        services.post_update(by=sunderland_lead, post=post, version=1, title="Old", problem="P")
    assert "saved this while you were editing" in stale.value.message
    assert snapshot() == before


def test_only_the_author_edits(post, nec_hub_officer):
    with pytest.raises(NotAllowed):
        services.post_update(by=nec_hub_officer, post=post, version=1, title="Mine", problem="P")
    assert fresh(post).title == "One-stop renal clinic"


def test_attachments_are_pdf_or_docx_and_kept(sunderland_lead, post, nec_hub_officer):
    attachment = services.attachment_add(
        by=sunderland_lead, post=post, file=SimpleUploadedFile("Audit.pdf", PDF)
    )
    assert (attachment.number, attachment.content_type) == (1, "application/pdf")
    before = snapshot()
    with pytest.raises(RuleError) as refused:
        services.attachment_add(
            by=sunderland_lead, post=post, file=SimpleUploadedFile("x.pdf", b"<script>")
        )
    assert refused.value.field == "file"
    with pytest.raises(NotAllowed):
        services.attachment_add(
            by=nec_hub_officer, post=post, file=SimpleUploadedFile("a.pdf", io.BytesIO(PDF).read())
        )
    assert snapshot() == before
    assert post.attachments.count() == 1


def test_comments_owe_one_email_per_follower_but_the_commenter(
    post, sunderland_lead, london_hub_officer, north_reviewer
):
    services.post_follow(by=london_hub_officer, post=post)
    services.post_follow(by=north_reviewer, post=post)
    services.post_unfollow(by=north_reviewer, post=post)
    comment = services.comment_add(by=london_hub_officer, post=post, body="We tried this too.")
    keys = set(
        OutboxItem.objects.filter(key__startswith="idea-comment").values_list("key", flat=True)
    )
    assert keys == {f"idea-comment:{comment.pk}:{sunderland_lead.pk}"}
    assert audited("comment_added").count() == 1


def test_follow_twice_is_once_and_unfollow_keeps_the_row(post, london_hub_officer):
    services.post_follow(by=london_hub_officer, post=post)
    services.post_follow(by=london_hub_officer, post=post)
    services.post_unfollow(by=london_hub_officer, post=post)
    follow = Follow.objects.get(post=post, user=london_hub_officer)
    assert follow.ended_at is not None
    services.post_follow(by=london_hub_officer, post=post)
    assert fresh(follow).ended_at is None
    assert audited("post_followed").count() == 2
    assert audited("post_unfollowed").count() == 1


def test_a_comment_is_edited_by_its_author_only_with_its_version(
    post, london_hub_officer, sunderland_lead
):
    comment = services.comment_add(by=london_hub_officer, post=post, body="First")
    with pytest.raises(NotAllowed):
        services.comment_update(by=sunderland_lead, comment=comment, version=1, body="Mine")
    services.comment_update(by=london_hub_officer, comment=comment, version=1, body="Second")
    with pytest.raises(ConflictError):
        services.comment_update(by=london_hub_officer, comment=comment, version=1, body="Third")
    with pytest.raises(RuleError) as empty:
        services.comment_update(by=london_hub_officer, comment=comment, version=2, body=" ")
    assert empty.value.field == "body"
    assert (fresh(comment).body, comment.version) == ("Second", 2)


def test_put_me_in_touch_once_per_person_and_not_on_your_own_post(
    post, london_hub_officer, sunderland_lead
):
    services.contact_request(by=london_hub_officer, post=post, message="Can we talk?")
    assert OutboxItem.objects.filter(key__startswith="idea-contact:").count() == 1
    before = snapshot()
    with pytest.raises(StateConflict):
        services.contact_request(by=london_hub_officer, post=post)
    with pytest.raises(RuleError):
        services.contact_request(by=sunderland_lead, post=post)
    assert snapshot() == before


def test_staff_of_another_hub_mark_it_adopted_by_their_priority(
    post, london_hub_officer, london_priority, nec_hub_officer, sunderland_lead
):
    london = Hub.objects.get(slug="london")
    adoption = services.post_adopt(
        by=london_hub_officer, post=post, hub=london, proposal=london_priority, note="From 2016."
    )
    assert adoption.proposal == london_priority
    assert list(selectors.post_list(sunderland_lead, selectors.PostFilters(adopted=True))) == [post]
    before = snapshot()
    with pytest.raises(StateConflict):
        services.post_adopt(by=london_hub_officer, post=post, hub=london, proposal=london_priority)
    nec = Hub.objects.get(slug="north-east-and-cumbria")
    with pytest.raises(NotAllowed):  # the post's own hub does not "adopt" it
        services.post_adopt(by=nec_hub_officer, post=post, hub=nec, proposal=london_priority)
    with pytest.raises(NotAllowed):
        services.post_adopt(by=sunderland_lead, post=post, hub=london, proposal=london_priority)
    assert snapshot() == before
    assert Adoption.objects.count() == 1


def test_a_priority_of_another_hub_is_refused(post, london_priority, register):
    wm = Hub.objects.get(slug="west-midlands")
    wendy = make_user("wm@example.nhs.uk", "Wendy", (Role.HUB_STAFF, wm))
    with pytest.raises(RuleError) as refused:
        services.post_adopt(by=wendy, post=post, hub=wm, proposal=london_priority)
    assert refused.value.field == "proposal"
    with pytest.raises(RuleError) as refused:
        services.post_adopt(
            by=wendy, post=post, hub=Hub.objects.get(slug="london"), proposal=london_priority
        )
    assert refused.value.field == "hub"


def test_national_admins_hide_with_a_reason_and_show_again(
    post, national_admin, sunderland_lead, london_hub_officer
):
    before = snapshot()
    with pytest.raises(RuleError) as refused:
        services.post_hide(by=national_admin, post=post, version=1, reason=" ")
    assert refused.value.field == "reason"
    with pytest.raises(NotAllowed):
        services.post_hide(by=london_hub_officer, post=post, version=1, reason="No")
    assert snapshot() == before
    services.post_hide(by=national_admin, post=post, version=1, reason="Names a patient.")
    post = fresh(post)
    assert post.is_hidden
    assert post.hidden_reason == "Names a patient."
    assert list(selectors.post_list(london_hub_officer)) == []
    assert list(selectors.post_list(sunderland_lead)) == [post]
    assert list(selectors.post_list(national_admin)) == [post]
    with pytest.raises(ConflictError):
        services.post_unhide(by=national_admin, post=post, version=1)
    services.post_unhide(by=national_admin, post=post, version=2)
    assert not fresh(post).is_hidden
    assert Post.objects.filter(pk=post.pk).exists()
    assert [e.verb for e in audited("post_hidden")] == ["ideas.post_hidden"]


def test_hidden_comments_are_shown_to_admins_and_their_author(
    post, national_admin, london_hub_officer, sunderland_lead
):
    comment = services.comment_add(by=london_hub_officer, post=post, body="Rude words")
    services.comment_hide(by=national_admin, comment=comment, version=1, reason="Not civil.")
    assert selectors.post_page(sunderland_lead, post)["comments"] == []
    assert selectors.post_page(london_hub_officer, post)["comments"] == [comment]
    assert selectors.post_page(national_admin, post)["comments"] == [comment]
    with pytest.raises(StateConflict):
        services.comment_hide(by=national_admin, comment=comment, version=2, reason="Again")
    services.comment_unhide(by=national_admin, comment=comment, version=2)
    assert selectors.post_page(sunderland_lead, post)["comments"] == [comment]


def test_search_and_filters(sunderland_lead, london_hub_officer, north_reviewer):
    renal = share(sunderland_lead)
    workforce = share(
        london_hub_officer,
        title="Rotating registrars",
        problem="Gaps in rotas",
        tried="Shared posts",
        results="Fewer gaps",
        programmes=[ProgrammeOfCare.objects.get(name="Cancer")],
        themes=["workforce"],
    )
    regional = share(
        north_reviewer, title="Regional dashboards", problem="No data", tried="", themes=[]
    )

    def found(**filters):
        return set(selectors.post_list(north_reviewer, selectors.PostFilters(**filters)))

    assert found() == {renal, workforce, regional}
    assert found(q="TRANSPLANT") == {renal}
    assert found(q="shared posts") == {workforce}
    assert found(programme=ProgrammeOfCare.objects.get(name="Cancer")) == {workforce}
    assert found(theme="workforce") == {workforce}
    assert found(theme="pathway") == {renal}
    assert found(region=Region.objects.get(slug="north")) == {renal, regional}
    assert found(hub=Hub.objects.get(slug="london")) == {workforce}
    assert found(adopted=False) == {renal, workforce, regional}
    assert found(adopted=True) == set()
