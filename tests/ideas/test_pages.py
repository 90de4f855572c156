"""The idea exchange's pages (issue 17, "What to build" 5): a permission ladder for every page
(anonymous to the sign-in page; no role: 403 on the list, 404 on a post; readers 200 but 403 on
what is not theirs; writers), bad input beside its field with nothing changed, a stale edit shown
as a conflict, hostile text escaped, and the list's queries bounded."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hubs.models import Hub, ProgrammeOfCare
from ideas import services
from ideas.models import Comment, Follow, Post

from .conftest import fresh, share, snapshot

pytestmark = pytest.mark.django_db

READERS = [
    "national_admin",
    "north_reviewer",
    "nec_hub_officer",
    "london_hub_officer",
    "sunderland_lead",
    "nenc_icb_lead",
    "nenc_ics_lead",
]
POSTERS = [
    "north_reviewer",
    "nec_hub_officer",
    "london_hub_officer",
    "sunderland_lead",
    "nenc_icb_lead",
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def as_(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    return user


def test_anonymous_people_are_sent_to_sign_in(client, post):
    for url in (reverse("ideas:post-list"), post.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response.url


def test_someone_with_no_role_reads_nothing(client, post, roleless_user):
    client.force_login(roleless_user)
    assert client.get(reverse("ideas:post-list")).status_code == 403
    assert client.get(reverse("ideas:post-create")).status_code == 403
    comment = services.comment_add(by=post.author, post=post, body="Note")
    for name in (
        "post-detail",
        "post-edit",
        "post-history",
        "attachment-create",
        "comment-create",
        "contact-create",
        "post-adopt",
        "post-hide",
        "post-unhide",
    ):
        assert client.get(reverse(f"ideas:{name}", args=[post.pk])).status_code == 404, name
    for name in ("post-follow", "post-unfollow"):
        assert client.post(reverse(f"ideas:{name}", args=[post.pk])).status_code == 404, name
    for name in ("comment-edit", "comment-hide", "comment-unhide"):
        assert client.get(reverse(f"ideas:{name}", args=[comment.pk])).status_code == 404, name


@pytest.mark.parametrize("persona", READERS)
def test_everyone_with_a_role_reads_comments_follows_and_asks(client, request, persona, post):
    user = as_(client, request, persona)
    list_page = client.get(reverse("ideas:post-list"))
    assert list_page.status_code == 200
    assert "One-stop renal clinic" in list_page.text
    assert "Idea exchange" in [i["label"] for i in list_page.context["nav_items"]]
    detail = client.get(post.get_absolute_url())
    assert detail.status_code == 200
    assert "Patients travel twice" in detail.text
    assert client.get(reverse("ideas:post-history", args=[post.pk])).status_code == 200
    # Only the author changes it; only national admins hide it.
    mine = 200 if persona == "sunderland_lead" else 403
    assert client.get(reverse("ideas:post-edit", args=[post.pk])).status_code == mine
    assert client.get(reverse("ideas:attachment-create", args=[post.pk])).status_code == mine
    hide = client.get(reverse("ideas:post-hide", args=[post.pk])).status_code
    assert hide == (200 if persona == "national_admin" else 403)
    can_post = client.get(reverse("ideas:post-create")).status_code
    assert can_post == (200 if persona in POSTERS else 403)
    response = client.post(reverse("ideas:comment-create", args=[post.pk]), {"body": "Useful."})
    assert response.status_code == 302
    assert Comment.objects.filter(post=post, author=user, body="Useful.").exists()
    assert client.post(reverse("ideas:post-follow", args=[post.pk])).status_code == 302
    assert Follow.objects.get(post=post, user=user).ended_at is None
    assert client.post(reverse("ideas:post-unfollow", args=[post.pk])).status_code == 302
    assert fresh(Follow.objects.get(post=post, user=user)).ended_at is not None
    contact = client.get(reverse("ideas:contact-create", args=[post.pk])).status_code
    assert contact == (403 if persona == "sunderland_lead" else 200)  # not the author
    if persona != "sunderland_lead":
        response = client.post(reverse("ideas:contact-create", args=[post.pk]), {"message": "Hi"})
        assert response.status_code == 302
    adopt = client.get(reverse("ideas:post-adopt", args=[post.pk])).status_code
    assert adopt == (200 if persona == "london_hub_officer" else 403)


def test_a_poster_shares_an_idea_through_the_form(client, sunderland_lead):
    client.force_login(sunderland_lead)
    form = client.get(reverse("ideas:post-create"))
    assert "Shared for" not in form.text  # one organisation: chosen for them
    internal = ProgrammeOfCare.objects.get(name="Internal Medicine")
    response = client.post(
        reverse("ideas:post-create"),
        {
            "organisation": form.context["form"].initial["organisation"],
            "title": "Virtual renal clinic",
            "problem": "Long journeys",
            "programmes": [internal.pk],
            "themes": ["access", "digital"],
        },
    )
    post = Post.objects.get(title="Virtual renal clinic")
    assert response.status_code == 302
    assert response.url == post.get_absolute_url()
    assert post.theme_values == ["access", "digital"]
    page = client.get(post.get_absolute_url())
    assert "Access and equity" in page.text
    assert "Internal Medicine" in page.text
    assert "NHS Sunderland CCG" in page.text


def test_bad_input_goes_beside_its_field_and_changes_nothing(client, sunderland_lead, post):
    client.force_login(sunderland_lead)
    before = snapshot()
    response = client.post(reverse("ideas:post-create"), {"title": "", "problem": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["Enter a title for the idea"]
    assert errors["problem"] == ["Describe the problem the idea answers"]
    response = client.post(
        reverse("ideas:post-edit", args=[post.pk]),
        {"title": "T", "problem": "x" * 20_001, "version": 1},
    )
    assert response.context["form"].errors["problem"] == ["Enter 20,000 characters or fewer"]
    response = client.post(reverse("ideas:comment-create", args=[post.pk]), {"body": "  "})
    assert response.context["form"].errors["body"]
    response = client.post(
        reverse("ideas:attachment-create", args=[post.pk]),
        {"file": SimpleUploadedFile("evil.pdf", b"<script>alert(1)</script>")},
    )
    assert response.context["form"].errors["file"] == [
        "The file must be a PDF or a Word document (.docx)"
    ]
    assert snapshot() == before


def test_a_stale_edit_shows_the_conflict_and_changes_nothing(client, sunderland_lead, post):
    services.post_update(
        by=sunderland_lead, post=post, version=1, title="Newer title", problem=post.problem
    )
    client.force_login(sunderland_lead)
    before = snapshot()
    response = client.post(
        reverse("ideas:post-edit", args=[post.pk]),
        {"title": "Older title", "problem": "P", "version": 1},
    )
    assert response.status_code == 200
    assert "saved this while you were editing" in response.text
    assert response.context["form"].data["version"] == "2"
    assert snapshot() == before


def test_hostile_text_is_escaped(client, sunderland_lead, london_hub_officer):
    post = share(sunderland_lead, title="<script>alert(1)</script>", problem="<b>bold</b>")
    services.comment_add(by=london_hub_officer, post=post, body="<img src=x onerror=alert(2)>")
    client.force_login(london_hub_officer)
    for url in (reverse("ideas:post-list"), post.get_absolute_url()):
        html = client.get(url).text
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    html = client.get(post.get_absolute_url()).text
    assert "<img src=x" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_the_author_edits_and_attaches_and_readers_download(
    client, sunderland_lead, post, london_hub_officer
):
    client.force_login(sunderland_lead)
    response = client.post(
        reverse("ideas:attachment-create", args=[post.pk]),
        {"file": SimpleUploadedFile("Audit results.pdf", PDF)},
    )
    assert response.status_code == 302
    client.force_login(london_hub_officer)
    page = client.get(post.get_absolute_url())
    assert "Audit results.pdf" in page.text
    download = client.get(reverse("ideas:attachment-download", args=[post.pk, 1]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert client.get(reverse("ideas:attachment-download", args=[post.pk, 2])).status_code == 404


def test_hidden_posts_show_to_admins_and_the_author_only(
    client, post, national_admin, sunderland_lead, london_hub_officer
):
    client.force_login(national_admin)
    response = client.post(reverse("ideas:post-hide", args=[post.pk]), {"reason": "", "version": 1})
    assert response.context["form"].errors["reason"]
    client.post(
        reverse("ideas:post-hide", args=[post.pk]), {"reason": "Names a patient.", "version": 1}
    )
    assert fresh(post).is_hidden
    for person in (national_admin, sunderland_lead):
        client.force_login(person)
        page = client.get(post.get_absolute_url())
        assert page.status_code == 200
        assert "Names a patient." in page.text
        assert "One-stop renal clinic" in client.get(reverse("ideas:post-list")).text
    client.force_login(london_hub_officer)
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "One-stop renal clinic" not in client.get(reverse("ideas:post-list")).text
    client.force_login(national_admin)
    client.post(reverse("ideas:post-unhide", args=[post.pk]), {"version": 2})
    assert not fresh(post).is_hidden


def test_comments_are_edited_by_their_author_and_hidden_by_admins(
    client, post, london_hub_officer, sunderland_lead, national_admin
):
    comment = services.comment_add(by=london_hub_officer, post=post, body="Rude")
    client.force_login(sunderland_lead)
    assert client.get(reverse("ideas:comment-edit", args=[comment.pk])).status_code == 403
    assert client.get(reverse("ideas:comment-hide", args=[comment.pk])).status_code == 403
    client.force_login(london_hub_officer)
    response = client.post(
        reverse("ideas:comment-edit", args=[comment.pk]), {"body": "Kinder", "version": 1}
    )
    assert response.status_code == 302
    assert fresh(comment).body == "Kinder"
    client.force_login(national_admin)
    client.post(
        reverse("ideas:comment-hide", args=[comment.pk]), {"reason": "Off topic", "version": 2}
    )
    assert fresh(comment).is_hidden
    client.force_login(sunderland_lead)
    assert "Kinder" not in client.get(post.get_absolute_url()).text
    assert client.get(reverse("ideas:comment-edit", args=[comment.pk])).status_code == 404
    client.force_login(london_hub_officer)
    page = client.get(post.get_absolute_url()).text
    assert "Kinder" in page
    assert "Off topic" in page
    client.force_login(national_admin)
    client.post(reverse("ideas:comment-unhide", args=[comment.pk]), {"version": 3})
    assert not fresh(comment).is_hidden


def test_london_marks_it_adopted_with_its_priority(
    client, post, london_hub_officer, london_priority, sunderland_lead
):
    client.force_login(london_hub_officer)
    response = client.post(
        reverse("ideas:post-adopt", args=[post.pk]), {"hub": "london", "proposal": ""}
    )
    assert response.context["form"].errors["proposal"]
    response = client.post(
        reverse("ideas:post-adopt", args=[post.pk]),
        {"hub": "london", "proposal": london_priority.pk, "note": "From April"},
    )
    assert response.status_code == 302
    client.force_login(sunderland_lead)
    page = client.get(post.get_absolute_url()).text
    assert "Renal one-stop clinics across London" in page
    assert london_priority.get_absolute_url() not in page  # London's plan is London's to read
    client.force_login(london_hub_officer)
    assert london_priority.get_absolute_url() in client.get(post.get_absolute_url()).text
    client.force_login(sunderland_lead)
    assert "London" in page
    listed = client.get(reverse("ideas:post-list"), {"adopted": "yes"})
    assert list(listed.context["page"].object_list) == [post]
    assert Hub.objects.get(slug="london").pk == post.adoptions.get().hub_id


def test_the_list_filters_and_pages(client, sunderland_lead, london_hub_officer):
    for n in range(30):
        share(sunderland_lead, title=f"Idea {n:02d}", tried="")
    share(london_hub_officer, title="Workforce rota", themes=["workforce"], tried="")
    client.force_login(sunderland_lead)
    first = client.get(reverse("ideas:post-list"))
    assert len(first.context["page"].object_list) == 25
    assert "31 ideas, showing 1 to 25" in first.text
    second = client.get(reverse("ideas:post-list"), {"page": 2, "theme": "pathway"})
    assert len(second.context["page"].object_list) == 5
    found = client.get(reverse("ideas:post-list"), {"q": "rota", "hub": "london"})
    assert [p.title for p in found.context["page"].object_list] == ["Workforce rota"]
    assert "1 idea matches" in found.text
    bad = client.get(reverse("ideas:post-list"), {"theme": "astrology"})
    assert bad.status_code == 200
    assert bad.context["page"].paginator.count == 31


def test_the_detail_page_runs_bounded_queries(
    client, post, london_hub_officer, sunderland_lead, django_assert_max_num_queries
):
    for n in range(20):
        services.comment_add(by=london_hub_officer, post=post, body=f"Comment {n}")
    client.force_login(sunderland_lead)
    client.get(post.get_absolute_url())
    with django_assert_max_num_queries(14):
        assert client.get(post.get_absolute_url()).status_code == 200
