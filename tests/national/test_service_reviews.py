"""National service reviews (issue 17, "What to build" 4; seed 000 §3.6): national admins record
each year's reviews (service, PoC and optional CRG, scope, lead, timing, status), archived not
deleted, versioned; everyone signed in reads them by year; bad input goes beside its field and
changes nothing; the API has the same rules (400 by field, 403, 409 on a stale version); the
pages' and lists' queries do not grow with the data."""

import datetime

import pytest
from django.urls import reverse

from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.models import AuditEvent
from national import service_reviews
from national.models import ServiceReview

from .conftest import programme

pytestmark = pytest.mark.django_db

API = "/api/v1/national-service-reviews/"
READERS = [
    "roleless_user",
    "sunderland_lead",
    "nec_hub_officer",
    "london_hub_officer",
    "north_reviewer",
    "national_admin",
]
NOT_KEEPERS = READERS[:-1]
HOSTILE = '<script>alert("x")</script>'


def add(by, **changes) -> ServiceReview:
    data = {
        "year": 2015,
        "title": "Congenital heart disease services",
        "programme": programme(),
        "scope": "Standards for children's and adults' congenital heart disease services.",
        "lead": "NHS England national CHD team",
        "start_date": datetime.date(2015, 4, 1),
        "end_date": datetime.date(2016, 3, 31),
        "status": "in_progress",
    }
    data.update(changes)
    return service_reviews.service_review_add(by=by, **data)


def snapshot() -> tuple:
    return (
        sorted(ServiceReview.objects.values_list(), key=str),
        ServiceReview.history.count(),
        AuditEvent.objects.filter(verb__startswith="national.service_review").count(),
    )


@pytest.fixture
def review(national_admin, crg) -> ServiceReview:
    return add(national_admin, crg=crg)


# --- services -------------------------------------------------------------------------------


def test_a_review_is_recorded_audited_and_versioned(national_admin, review, crg):
    assert (review.year_label, review.crg, review.status) == ("2015/16", crg, "in_progress")
    assert review.timing_label == "1 April 2015 to 31 March 2016"
    assert AuditEvent.objects.filter(verb="national.service_review_added").count() == 1
    changed = service_reviews.service_review_update(
        by=national_admin, review=review, version=1, status="complete", archived=True
    )
    assert (changed.version, changed.status, changed.archived) == (2, "complete", True)
    assert changed.history.count() == 2
    assert changed.history.first().history_user == national_admin
    event = AuditEvent.objects.get(verb="national.service_review_changed")
    assert event.data == {"fields": ["status", "archived"]}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"end_date": datetime.date(2015, 3, 1)}, "end_date", "on or after the day it starts"),
        ({"start_date": datetime.date(2016, 4, 1), "end_date": None}, "start_date", "starts by"),
        (
            {"start_date": datetime.date(2014, 1, 1), "end_date": datetime.date(2015, 1, 1)},
            "end_date",
            "1 April 2015",
        ),
        ({"start_date": datetime.date(2010, 1, 1)}, "start_date", "on or after"),
        ({"title": "  "}, "title", "Enter the service"),
        ({"title": "x" * 201}, "title", "200 characters"),
        ({"lead": ""}, "lead", "review's lead"),
        ({"scope": ""}, "scope", "scope"),
        ({"scope": "x" * 20_001}, "scope", "20,000"),
        ({"status": "abandoned"}, "status", "Choose planned"),
        ({"year": 1999}, "year", "financial year"),
        ({"programme": "trauma"}, "crg", "choose a CRG of Trauma"),
    ],
)
def test_bad_input_is_refused_beside_its_field(national_admin, crg, changes, field, words):
    if changes.get("programme") == "trauma":
        changes = {"programme": programme("Trauma"), "crg": crg}
    before = snapshot()
    with pytest.raises(RuleError) as refused:
        add(national_admin, **changes)
    assert refused.value.field == field
    assert words in str(refused.value)
    assert snapshot() == before


def test_one_review_of_a_service_a_year_and_no_archived_crg(national_admin, review, crg):
    with pytest.raises(RuleError) as refused:
        add(national_admin, title="congenital HEART disease services")
    assert refused.value.field == "title"
    assert add(national_admin, year=2016, start_date=datetime.date(2016, 4, 1), end_date=None)
    from national import services

    services.crg_update(by=national_admin, crg=crg, version=crg.version, archived=True)
    crg.refresh_from_db()
    with pytest.raises(RuleError) as refused:
        add(national_admin, title="Another", crg=crg)
    assert refused.value.field == "crg"
    # The review that names it already keeps it when changed.
    service_reviews.service_review_update(
        by=national_admin, review=review, version=1, lead="Someone else"
    )


def test_a_stale_version_changes_nothing(national_admin, review):
    service_reviews.service_review_update(by=national_admin, review=review, version=1, lead="A")
    before = snapshot()
    with pytest.raises(ConflictError) as stale:
        service_reviews.service_review_update(by=national_admin, review=review, version=1, lead="B")
    assert "Review lead is now “A”" in stale.value.message
    assert snapshot() == before


# --- pages ----------------------------------------------------------------------------------


def as_user(client, request, name):
    user = request.getfixturevalue(name)
    client.force_login(user)
    return user


def test_anonymous_is_sent_to_sign_in(client, review):
    for url in [
        reverse("national:service-reviews"),
        reverse("national:service-review-create"),
        reverse("national:service-review-edit", args=[review.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize("name", READERS)
def test_everyone_signed_in_reads_the_year(client, request, name, review, national_admin):
    archived = add(national_admin, title="Old review", status="stopped")
    service_reviews.service_review_update(
        by=national_admin, review=archived, version=1, archived=True
    )
    as_user(client, request, name)
    response = client.get(reverse("national:service-reviews"), {"year": "2015"})
    assert response.status_code == 200
    assert [r.title for r in response.context["reviews"]] == [review.title]
    assert [r.title for r in response.context["archived"]] == ["Old review"]
    assert reverse("priorities:joint-programme", args=[2015]) in response.text
    keeps = name == "national_admin"
    assert ("Record a national service review" in response.text) == keeps
    assert (reverse("national:service-review-edit", args=[review.pk]) in response.text) == keeps
    # Another year has its own list; nonsense years fall back to this one.
    assert (
        client.get(reverse("national:service-reviews"), {"year": "2016"}).context["reviews"] == []
    )
    assert client.get(reverse("national:service-reviews"), {"year": "x"}).status_code == 200


@pytest.mark.parametrize("name", NOT_KEEPERS)
def test_only_national_admins_keep_reviews(client, request, name, review):
    as_user(client, request, name)
    before = snapshot()
    for url in [
        reverse("national:service-review-create"),
        reverse("national:service-review-edit", args=[review.pk]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "x"}).status_code == 403, url
    assert snapshot() == before


def test_edit_of_a_missing_review_is_404(client, national_admin):
    client.force_login(national_admin)
    url = reverse("national:service-review-edit", args=[999999])
    assert client.get(url).status_code == 404


def _post(crg=None, **changes) -> dict:
    body = {
        "year": "2015",
        "title": "Specialised renal dialysis",
        "programme": "internal-medicine",
        "crg": crg.pk if crg else "",
        "scope": "Home and satellite haemodialysis capacity.",
        "lead": "Renal services national team",
        "start_date": "2015-10-01",
        "end_date": "",
        "status": "planned",
    }
    body.update(changes)
    return body


def test_admin_records_and_changes_a_review(client, national_admin, crg):
    client.force_login(national_admin)
    url = reverse("national:service-review-create")
    assert client.get(url, {"year": "2015"}).status_code == 200
    response = client.post(url, _post(crg, title=HOSTILE))
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2015")
    review = ServiceReview.objects.get()
    assert (review.title, review.crg, review.end_date) == (HOSTILE, crg, None)
    page = client.get(reverse("national:service-reviews"), {"year": "2015"}).text
    assert HOSTILE not in page
    assert "&lt;script&gt;" in page
    edit = reverse("national:service-review-edit", args=[review.pk])
    assert client.get(edit).status_code == 200
    body = _post(crg, status="in_progress", version=1, archived="on")
    assert client.post(edit, body).status_code == 302
    review.refresh_from_db()
    assert (review.status, review.archived, review.version) == ("in_progress", True, 2)


def test_bad_input_on_the_form_goes_beside_the_field(client, national_admin, crg):
    client.force_login(national_admin)
    url = reverse("national:service-review-create")
    before = snapshot()
    response = client.post(url, _post(crg, end_date="2015-09-01"))
    assert response.status_code == 200
    assert "on or after the day it starts" in response.context["form"].errors["end_date"][0]
    assert 'id="id_end_date_error"' in response.text
    response = client.post(url, _post(crg, programme="trauma"))
    assert "choose a CRG of Trauma" in response.context["form"].errors["crg"][0]
    response = client.post(url, _post(title="x" * 300, scope="y" * 20_001, year="abc"))
    errors = response.context["form"].errors
    assert {"title", "scope", "year"} <= set(errors)
    assert snapshot() == before


def test_a_stale_edit_shows_the_conflict(client, national_admin, review):
    service_reviews.service_review_update(by=national_admin, review=review, version=1, lead="X")
    client.force_login(national_admin)
    before = snapshot()
    body = _post(title=review.title, version=1, start_date="2015-04-01")
    response = client.post(reverse("national:service-review-edit", args=[review.pk]), body)
    assert response.status_code == 200
    assert "saved this while you were editing" in response.text
    assert snapshot() == before


def test_the_list_page_queries_do_not_grow(
    client, national_admin, crg, django_assert_max_num_queries
):
    def more(n, offset):
        for i in range(n):
            add(national_admin, title=f"Review {offset + i}", crg=crg if i % 2 else None)

    more(3, 0)
    client.force_login(national_admin)
    url = reverse("national:service-reviews")
    with django_assert_max_num_queries(12) as captured:
        assert client.get(url, {"year": "2015", "on": "1"}).status_code == 200
    more(20, 100)
    with django_assert_max_num_queries(len(captured)):
        assert len(client.get(url, {"year": "2015", "on": "2"}).context["reviews"]) == 23


# --- API ------------------------------------------------------------------------------------


def test_api_reads_for_everyone_signed_in(api_client, request, review, roleless_user):
    assert api_client.get(API).status_code == 401
    api_client.force_authenticate(roleless_user)
    listed = api_client.get(API, {"year": 2015}).json()["results"]
    assert [r["title"] for r in listed] == [review.title]
    assert listed[0]["programme"] == "internal-medicine"
    assert listed[0]["year_label"] == "2015/16"
    assert api_client.get(API, {"year": 2016}).json()["results"] == []
    assert api_client.get(f"{API}{review.pk}/").json()["crg"] == review.crg_id
    assert api_client.get(f"{API}999999/").status_code == 404


def _body(**changes) -> dict:
    body = {
        "year": 2015,
        "title": "Radiotherapy services",
        "programme": "cancer",
        "scope": "Radiotherapy networks.",
        "lead": "Cancer programme team",
        "start_date": "2015-10-01",
        "end_date": "2016-09-30",
        "status": "planned",
    }
    body.update(changes)
    return body


@pytest.mark.parametrize("name", NOT_KEEPERS)
def test_api_writes_are_national_admins(api_client, request, name, review):
    api_client.force_authenticate(request.getfixturevalue(name))
    before = snapshot()
    assert api_client.post(API, _body(), format="json").status_code == 403
    put = api_client.put(f"{API}{review.pk}/", {"lead": "X", "version": 1}, format="json")
    assert put.status_code == 403
    assert snapshot() == before


def test_api_records_changes_refuses_and_conflicts(api_client, national_admin, review, crg):
    api_client.force_authenticate(national_admin)
    response = api_client.post(API, _body(), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["crg"] is None
    before = snapshot()
    response = api_client.post(API, _body(title="Other", end_date="2015-01-01"), format="json")
    assert response.status_code == 400
    assert "end_date" in response.json()
    response = api_client.post(API, _body(title="Other", crg=crg.pk), format="json")
    assert response.status_code == 400
    assert "crg" in response.json()
    response = api_client.post(API, _body(title="x" * 201, status="gone"), format="json")
    assert {"title", "status"} <= set(response.json())
    assert snapshot() == before
    url = f"{API}{review.pk}/"
    response = api_client.put(url, {"status": "complete", "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    before = snapshot()
    response = api_client.put(url, {"status": "stopped", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert snapshot() == before
    assert api_client.delete(url).status_code == 405


def test_api_list_is_bounded(api_client, national_admin, crg, django_assert_max_num_queries):
    for i in range(15):
        add(national_admin, title=f"Review {i}", crg=crg if i % 2 else None)
    api_client.force_authenticate(national_admin)
    with django_assert_max_num_queries(6):
        assert len(api_client.get(API).json()["results"]) == 15
