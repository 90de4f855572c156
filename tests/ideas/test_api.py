"""The idea exchange's API (issue 17, "What to build" 5 and 7): a permission ladder for every
endpoint, the pages' filters, versioned writes (stale: 409), refusals by field (400) with
nothing changed, and national admins' moderation."""

import pytest

from hubs.models import ProgrammeOfCare
from ideas import services
from ideas.models import Adoption, Comment, Follow, Post

from .conftest import fresh, share, snapshot

pytestmark = pytest.mark.django_db

URL = "/api/v1/ideas/"
READERS = [
    "national_admin",
    "north_reviewer",
    "nec_hub_officer",
    "london_hub_officer",
    "sunderland_lead",
    "nenc_icb_lead",
    "nenc_ics_lead",
]


def as_(api_client, request, persona):
    user = request.getfixturevalue(persona)
    api_client.force_authenticate(user)
    return user


def test_anonymous_and_roleless(api_client, post, roleless_user):
    assert api_client.get(URL).status_code == 401
    api_client.force_authenticate(roleless_user)
    assert api_client.get(URL).status_code == 403
    assert api_client.get(f"{URL}{post.pk}/").status_code == 404
    for action in ("comments", "follow", "unfollow", "put-in-touch", "adopted", "hide", "unhide"):
        assert api_client.post(f"{URL}{post.pk}/{action}/", {}).status_code == 404, action
    assert api_client.put(f"{URL}{post.pk}/", {}).status_code == 404
    body = {"title": "T", "problem": "P"}
    assert api_client.post(URL, body, format="json").status_code == 403


@pytest.mark.parametrize("persona", READERS)
def test_readers(api_client, request, persona, post):
    user = as_(api_client, request, persona)
    listed = api_client.get(URL)
    assert listed.status_code == 200
    (row,) = listed.json()["results"]
    assert row["title"] == "One-stop renal clinic"
    assert row["themes"] == ["pathway", "experience"]
    assert row["programmes"] == ["internal-medicine"]
    assert (row["ccg"], row["hub"], row["region"]) == ("00P", "north-east-and-cumbria", "north")
    detail = api_client.get(f"{URL}{post.pk}/").json()
    assert detail["comments"] == []
    assert detail["adoptions"] == []
    mine = persona == "sunderland_lead"
    update = api_client.put(
        f"{URL}{post.pk}/", {"title": "X", "problem": "Y", "version": 1}, format="json"
    )
    assert update.status_code == (200 if mine else 403)
    comment = api_client.post(f"{URL}{post.pk}/comments/", {"body": "Good"}, format="json")
    assert comment.status_code == 201
    assert Comment.objects.get(pk=comment.json()["id"]).author == user
    assert api_client.post(f"{URL}{post.pk}/follow/").json() == {"following": True}
    assert api_client.post(f"{URL}{post.pk}/unfollow/").json() == {"following": False}
    assert Follow.objects.get(post=post, user=user).ended_at is not None
    touch = api_client.post(f"{URL}{post.pk}/put-in-touch/", {"message": "Hi"}, format="json")
    assert touch.status_code == (403 if mine else 201)
    hide = api_client.post(f"{URL}{post.pk}/hide/", {"reason": "R", "version": 99}, format="json")
    assert hide.status_code == (409 if persona == "national_admin" else 403)
    adopt = api_client.post(f"{URL}{post.pk}/adopted/", {}, format="json")
    assert adopt.status_code == (400 if persona == "london_hub_officer" else 403)


def test_create_update_and_refusals(api_client, sunderland_lead, nenc_ics_lead):
    api_client.force_authenticate(nenc_ics_lead)
    assert api_client.post(URL, {"title": "T", "problem": "P"}, format="json").status_code == 403
    api_client.force_authenticate(sunderland_lead)
    created = api_client.post(
        URL,
        {
            "title": "Home dialysis",
            "problem": "Travel",
            "programmes": ["internal-medicine"],
            "themes": ["access"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["organisation"], data["version"], data["themes"]) == ("ccg", 1, ["access"])
    pk = data["id"]
    before = snapshot()
    for body, field in [
        ({"title": "", "problem": "P"}, "title"),
        ({"title": "T", "problem": " "}, "problem"),
        ({"title": "T", "problem": "x" * 20_001}, "problem"),
        ({"title": "T", "problem": "P", "themes": ["astrology"]}, "themes"),
        ({"title": "T", "problem": "P", "programmes": ["nope"]}, "programmes"),
    ]:
        response = api_client.post(URL, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), body
    assert snapshot() == before
    updated = api_client.put(
        f"{URL}{pk}/",
        {"title": "Home dialysis at scale", "problem": "Travel", "version": 1},
        format="json",
    )
    assert updated.json()["version"] == 2
    before = snapshot()
    stale = api_client.put(
        f"{URL}{pk}/", {"title": "Old", "problem": "Travel", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert snapshot() == before


def test_filters(api_client, sunderland_lead, london_hub_officer, north_reviewer):
    share(sunderland_lead)
    share(
        london_hub_officer,
        title="Rota",
        tried="",
        themes=["workforce"],
        programmes=[ProgrammeOfCare.objects.get(name="Cancer")],
    )
    api_client.force_authenticate(north_reviewer)

    def titles(**params):
        return sorted(r["title"] for r in api_client.get(URL, params).json()["results"])

    assert titles() == ["One-stop renal clinic", "Rota"]
    assert titles(q="transplant") == ["One-stop renal clinic"]
    assert titles(theme="workforce") == ["Rota"]
    assert titles(programme="cancer") == ["Rota"]
    assert titles(region="north") == ["One-stop renal clinic"]
    assert titles(hub="london") == ["Rota"]
    assert titles(adopted="true") == []
    assert titles(adopted="false") == ["One-stop renal clinic", "Rota"]
    assert api_client.get(URL, {"theme": "astrology"}).status_code == 400


def test_adoption_and_moderation(
    api_client, post, london_hub_officer, london_priority, national_admin, sunderland_lead
):
    api_client.force_authenticate(london_hub_officer)
    adopted = api_client.post(
        f"{URL}{post.pk}/adopted/",
        {"hub": "london", "proposal": london_priority.pk, "note": "2016"},
        format="json",
    )
    assert adopted.status_code == 201
    assert adopted.json()["adopted"] is True
    assert adopted.json()["adoptions"][0]["hub"] == "london"
    assert Adoption.objects.count() == 1
    comment = services.comment_add(by=london_hub_officer, post=post, body="Rude")
    curl = f"/api/v1/idea-comments/{comment.pk}/"
    assert api_client.put(curl, {"body": "Kind", "version": 1}, format="json").status_code == 200
    assert api_client.put(curl, {"body": "Old", "version": 1}, format="json").status_code == 409
    assert api_client.post(f"{curl}hide/", {"reason": "R", "version": 2}).status_code == 403
    api_client.force_authenticate(national_admin)
    assert api_client.post(f"{curl}hide/", {"reason": "", "version": 2}).status_code == 400
    assert api_client.post(f"{curl}hide/", {"reason": "Off", "version": 2}).status_code == 200
    hidden = api_client.post(f"{URL}{post.pk}/hide/", {"reason": "Patient named", "version": 1})
    assert hidden.status_code == 200
    assert hidden.json()["is_hidden"] is True
    api_client.force_authenticate(london_hub_officer)
    assert api_client.get(f"{URL}{post.pk}/").status_code == 404
    assert api_client.get(URL).json()["count"] == 0
    assert api_client.get(curl).status_code == 404
    api_client.force_authenticate(sunderland_lead)
    assert api_client.get(f"{URL}{post.pk}/").json()["hidden_reason"] == "Patient named"
    assert api_client.get(curl).status_code == 404
    api_client.force_authenticate(national_admin)
    shown = api_client.post(f"{URL}{post.pk}/unhide/", {"version": 2})
    assert shown.status_code == 200
    assert shown.json()["is_hidden"] is False
    assert api_client.post(f"{curl}unhide/", {"version": 3}).status_code == 200
    assert not fresh(comment).is_hidden
    assert Post.objects.filter(pk=post.pk).exists()
