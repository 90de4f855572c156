"""A post names the Clinical Reference Group it concerns (issue 17, "What to build" 5: posts
"tagged by PoC, CRG and theme"): shared and changed through the services, the form and the API,
found by the CRG filter, refused when the CRG is archived (unless the post named it already),
and shown on the post's page and in the list."""

import pytest
from django.urls import reverse

from hubs.models import ProgrammeOfCare
from ideas import selectors, services
from national.models import ClinicalReferenceGroup

from .conftest import fresh, share, snapshot

pytestmark = pytest.mark.django_db


def crg(name: str, *, archived: bool = False) -> ClinicalReferenceGroup:
    return ClinicalReferenceGroup.objects.create(
        name=name,
        programme=ProgrammeOfCare.objects.get(name="Internal Medicine"),
        archived=archived,
    )


def test_a_post_names_its_crg_and_the_filter_finds_it(sunderland_lead, north_reviewer):
    renal = crg("Renal Services")
    tagged = share(sunderland_lead, crg=renal)
    other = share(sunderland_lead, title="Untagged idea")

    def found(**filters):
        return set(selectors.post_list(north_reviewer, selectors.PostFilters(**filters)))

    assert tagged.crg == renal
    assert found(crg=renal) == {tagged}
    assert found() == {tagged, other}


def test_an_archived_crg_is_refused_on_a_new_post_but_kept_on_an_older_one(sunderland_lead):
    renal = crg("Renal Services")
    post = share(sunderland_lead, crg=renal)
    old = crg("Old CRG", archived=True)
    before = snapshot()
    with pytest.raises(services.IdeaError) as refused:
        share(sunderland_lead, title="Another", crg=old)
    assert refused.value.field == "crg"
    assert "archived" in str(refused.value)
    assert snapshot() == before

    renal.archived = True
    renal.save()
    kept = services.post_update(
        by=sunderland_lead,
        post=post,
        version=post.version,
        title="Renamed",
        problem=post.problem,
        crg=renal,
    )
    assert fresh(kept).crg == renal
    assert kept.title == "Renamed"
    untagged = services.post_update(
        by=sunderland_lead, post=kept, version=kept.version, title="Renamed", problem=post.problem
    )
    assert fresh(untagged).crg is None
    assert list(untagged.history.values_list("crg_id", flat=True)[:2]) == [None, renal.pk]


def test_the_form_tags_and_the_pages_show_and_filter(client, sunderland_lead, north_reviewer):
    renal = crg("Renal Services")
    client.force_login(sunderland_lead)
    form = client.get(reverse("ideas:post-create"))
    assert "Clinical Reference Group (optional)" in form.text
    response = client.post(
        reverse("ideas:post-create"),
        {
            "organisation": form.context["form"].initial["organisation"],
            "title": "Dialysis at home",
            "problem": "Travel",
            "crg": renal.pk,
        },
    )
    assert response.status_code == 302
    post = renal.idea_posts.get()
    share(sunderland_lead, title="Something else")

    client.force_login(north_reviewer)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Renal Services CRG" in page
    assert renal.get_absolute_url() in page
    listed = client.get(reverse("ideas:post-list"), {"crg": renal.pk}).content.decode()
    assert "Dialysis at home" in listed
    assert "Something else" not in listed
    assert "1 idea match" in listed


def test_the_api_writes_reads_and_filters_the_crg(api_client, sunderland_lead, north_reviewer):
    renal = crg("Renal Services")
    old = crg("Old CRG", archived=True)
    api_client.force_authenticate(sunderland_lead)
    created = api_client.post(
        "/api/v1/ideas/", {"title": "Dialysis", "problem": "Travel", "crg": renal.pk}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["crg"] == renal.pk
    assert created.json()["crg_name"] == "Renal Services"
    refused = api_client.post(
        "/api/v1/ideas/", {"title": "Old", "problem": "Travel", "crg": old.pk}, format="json"
    )
    assert refused.status_code == 400
    assert "archived" in str(refused.json()["crg"])
    share(sunderland_lead, title="Untagged")

    api_client.force_authenticate(north_reviewer)
    listed = api_client.get("/api/v1/ideas/", {"crg": renal.pk}).json()
    assert [row["title"] for row in listed["results"]] == ["Dialysis"]
    assert api_client.get("/api/v1/ideas/", {"crg": 999999}).status_code == 400
