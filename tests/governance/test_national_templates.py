"""National templates (seed 000 §3.4.2, issue 13 part 7): the first versions the product ships,
versions and publishing, stale edits, who may write, and a group's first document starting from
the current template and saying so."""

import re

import pytest
from django.urls import reverse

from commissioning.concurrency import ConflictError
from commissioning.errors import NotAllowed
from governance import services
from governance.models import DocumentVersion, NationalTemplateVersion
from governance.selectors import current_template
from governance.services import DocumentError, TemplateStateError
from tests.factories import make_group

pytestmark = pytest.mark.django_db

TOR, AGREEMENT = "terms_of_reference", "collaboration_agreement"
READERS = ["roleless_user", "sunderland_lead", "nec_hub_officer", "north_reviewer"]


def publish(version, by):
    return services.template_publish(by=by, template_version=version, version=version.version)


def new_version(by, kind=TOR, **fields):
    return services.template_draft_create(by=by, kind=kind, **fields)


# The versions the data migration installs.


@pytest.mark.parametrize(
    ("kind", "headings"),
    [
        (
            TOR,
            [
                "1. Purpose",
                "2. Membership and representation",
                "3. Quorum",
                "4. Recommendations to the NHS England regional team "
                "(no delegated decisions in 2015/16)",
                "5. Conflicts of interest",
                "6. Frequency of meetings",
                "7. Reporting",
                "8. Sub-groups",
            ],
        ),
        (
            AGREEMENT,
            [
                "1. Purpose",
                "2. Membership and representation",
                "3. Quorum",
                "4. Recommendations to the NHS England regional team "
                "(no delegated decisions in 2015/16)",
                "5. Conflicts of interest",
                "6. Frequency of meetings",
                "7. Reporting",
                "8. Sub-groups",
            ],
        ),
    ],
)
def test_the_first_national_drafts_are_installed_and_published(kind, headings):
    first = current_template(kind)
    assert (first.number, first.status) == (1, NationalTemplateVersion.Status.PUBLISHED)
    assert first.published_at.date().isoformat() == "2015-03-04"
    lines = first.body.splitlines()
    assert [line for line in lines if re.match(r"[1-8]\. ", line)] == headings
    assert "no delegation of commissioning functions" in first.body  # §3.4
    assert "guidance" in lines[2]
    assert "3.4" in lines[2]


# Versions and publishing.


def test_a_new_version_starts_from_the_current_text_and_publishing_archives_the_old(
    national_admin,
):
    first = current_template(TOR)
    draft = new_version(national_admin, change_summary="Quorum of four")
    assert (draft.number, draft.status, draft.body) == (2, "draft", first.body)
    assert current_template(TOR) == first  # a draft changes nothing for groups yet
    publish(draft, national_admin)
    first.refresh_from_db()
    assert first.status == NationalTemplateVersion.Status.ARCHIVED
    assert current_template(TOR).pk == draft.pk
    assert current_template(AGREEMENT).number == 1  # the other kind is untouched
    assert NationalTemplateVersion.objects.filter(template__kind=TOR).count() == 2


def test_published_and_archived_versions_are_frozen(national_admin):
    first = current_template(TOR)
    with pytest.raises(TemplateStateError, match="published and cannot change"):
        services.template_draft_update(
            by=national_admin, template_version=first, version=first.version, body="Edited"
        )
    with pytest.raises(TemplateStateError, match="only a draft is published"):
        publish(first, national_admin)
    draft = new_version(national_admin, body="Second")
    publish(draft, national_admin)
    first.refresh_from_db()
    with pytest.raises(TemplateStateError, match="archived and cannot change"):
        services.template_draft_update(
            by=national_admin, template_version=first, version=first.version, body="Edited"
        )
    first.refresh_from_db()
    assert first.body.startswith("[Name of hub]")


def test_one_draft_at_a_time_and_a_draft_set_aside_is_kept(national_admin):
    draft = new_version(national_admin, body="Second")
    with pytest.raises(TemplateStateError, match="Version 2 is already a draft"):
        new_version(national_admin)
    services.template_draft_archive(
        by=national_admin, template_version=draft, version=draft.version
    )
    draft.refresh_from_db()
    assert draft.is_archived
    assert draft.published_at is None
    assert current_template(TOR).number == 1
    assert new_version(national_admin).number == 3  # numbers are never reused


def test_a_draft_needs_text(national_admin):
    with pytest.raises(DocumentError, match="Enter the text") as raised:
        new_version(national_admin, body="  ")
    assert raised.value.field == "body"
    draft = new_version(national_admin)
    with pytest.raises(DocumentError, match="Enter the text") as raised:
        services.template_draft_update(
            by=national_admin, template_version=draft, version=draft.version, body=""
        )
    assert raised.value.field == "body"


def test_a_stale_edit_is_refused_and_says_what_changed(national_admin):
    draft = new_version(national_admin, body="Nadia's first text")
    opened = draft.version
    services.template_draft_update(
        by=national_admin, template_version=draft, version=opened, body="Nadia's second text"
    )
    with pytest.raises(ConflictError) as raised:
        services.template_draft_update(
            by=national_admin, template_version=draft, version=opened, body="Stale text"
        )
    assert "Text is now “Nadia's second text”" in raised.value.message
    with pytest.raises(ConflictError):
        publish(NationalTemplateVersion(pk=draft.pk, version=opened), national_admin)
    draft.refresh_from_db()
    assert (draft.body, draft.status) == ("Nadia's second text", "draft")


def test_only_national_admins_change_templates_even_through_the_services(nec_hub_officer):
    first = current_template(TOR)
    with pytest.raises(NotAllowed):
        new_version(nec_hub_officer)
    with pytest.raises(NotAllowed):
        publish(first, nec_hub_officer)
    assert NationalTemplateVersion.objects.count() == 3  # the first of each kind (issue 16: boards)


# Pages: who may read and write.


@pytest.mark.parametrize("persona", READERS)
def test_everyone_signed_in_reads_but_only_national_admins_write(
    client, request, national_admin, persona
):
    draft = new_version(national_admin, body="Work in progress")
    current = current_template(TOR)
    client.force_login(request.getfixturevalue(persona))
    listing = client.get(reverse("governance:template-list"))
    assert listing.status_code == 200
    assert "Start a new version" not in listing.content.decode()
    assert "Work in progress" not in listing.content.decode()
    assert client.get(current.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404  # drafts are not shown
    new = reverse("governance:template-new", args=[AGREEMENT])
    assert client.get(new).status_code == 403
    assert client.post(new, {"body": "Mine"}).status_code == 403
    edit = reverse("governance:template-edit", args=[draft.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"version": draft.version, "body": "Mine"}).status_code == 403
    for name in ("template-publish", "template-archive"):
        answer = client.post(reverse(f"governance:{name}", args=[draft.pk]), {"version": 1})
        assert answer.status_code == 403
    draft.refresh_from_db()
    assert (draft.body, draft.status) == ("Work in progress", "draft")


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("governance:template-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_national_admin_drafts_changes_and_publishes_in_the_browser(client, national_admin):
    client.force_login(national_admin)
    new = reverse("governance:template-new", args=[AGREEMENT])
    page = client.get(new)
    assert page.context["form"]["body"].value() == current_template(AGREEMENT).body
    made = client.post(new, {"body": "Agreement v2", "change_summary": "Shorter"})
    draft = NationalTemplateVersion.objects.get(template__kind=AGREEMENT, number=2)
    assert made["Location"] == draft.get_absolute_url()
    edit = reverse("governance:template-edit", args=[draft.pk])
    client.post(edit, {"version": draft.version, "body": "Agreement v2, edited"})
    draft.refresh_from_db()
    assert (draft.body, draft.version) == ("Agreement v2, edited", 2)
    again = client.get(new)  # one draft at a time: starting another opens the one there is
    assert again["Location"] == draft.get_absolute_url()
    refused = client.post(new, {"body": "A second draft"})
    assert "Version 2 is already a draft" in refused.content.decode()
    published = client.post(
        reverse("governance:template-publish", args=[draft.pk]), {"version": draft.version}
    )
    assert published.status_code == 302
    assert current_template(AGREEMENT).body == "Agreement v2, edited"


def test_bad_input_is_shown_beside_the_field(client, national_admin):
    client.force_login(national_admin)
    page = client.post(
        reverse("governance:template-new", args=[TOR]), {"body": "", "change_summary": "x" * 301}
    )
    html = page.content.decode()
    assert 'id="id_body_error"' in html
    assert "Enter the text of the template" in html
    assert 'id="id_change_summary_error"' in html
    assert "300 characters or fewer" in html
    assert not NationalTemplateVersion.objects.filter(status="draft").exists()
    # A blank text caught by the service, not the form, lands beside the field too.
    page = client.post(reverse("governance:template-new", args=[TOR]), {"body": "   "})
    assert 'id="id_body_error"' in page.content.decode()


def test_a_stale_edit_in_the_browser_keeps_the_other_change(client, national_admin):
    draft = new_version(national_admin, body="First")
    opened = draft.version
    services.template_draft_update(
        by=national_admin, template_version=draft, version=opened, body="Someone else's"
    )
    client.force_login(national_admin)
    page = client.post(
        reverse("governance:template-edit", args=[draft.pk]), {"version": opened, "body": "Mine"}
    )
    assert page.status_code == 200
    assert "saved this while you were editing" in page.content.decode()
    assert page.context["form"].data["version"] == str(opened + 1)
    stale_publish = client.post(
        reverse("governance:template-publish", args=[draft.pk]), {"version": opened}
    )
    assert "saved this while you were editing" in stale_publish.content.decode()
    draft.refresh_from_db()
    assert (draft.body, draft.status) == ("Someone else's", "draft")


def test_the_navigation_links_to_the_templates(client, national_admin, sunderland_lead):
    for person in (national_admin, sunderland_lead):
        client.force_login(person)
        labels = [i["label"] for i in client.get(reverse("workspace:my-work")).context["nav_items"]]
        assert "National templates" in labels


def test_template_pages_run_bounded_queries(client, national_admin, django_assert_max_num_queries):
    for n in range(10):
        for kind in (TOR, AGREEMENT):
            publish(new_version(national_admin, kind=kind, body=f"v{n}"), national_admin)
    new_version(national_admin, body="Open draft")
    client.force_login(national_admin)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("governance:template-list"))
    assert [len(s["versions"]) for s in page.context["sections"]] == [
        12,
        11,
        1,
    ]  # terms of reference (with the draft), then agreement, then a board's terms (issue 16)
    with django_assert_max_num_queries(9):
        client.get(current_template(TOR).get_absolute_url())


# The API.


def test_templates_api(api_client, national_admin, nec_hub_officer):
    url = "/api/v1/national-templates/"
    assert api_client.get(url).status_code == 401
    api_client.force_authenticate(nec_hub_officer)
    assert api_client.get(url).json()["count"] == 3  # with a board's terms (issue 16)
    assert api_client.post(url, {"kind": TOR}, format="json").status_code == 403
    api_client.force_authenticate(national_admin)
    assert api_client.post(url, {"kind": "plan"}, format="json").status_code == 400
    blank = api_client.post(url, {"kind": TOR, "body": " "}, format="json")
    assert blank.status_code == 400
    assert "body" in blank.json()
    made = api_client.post(url, {"kind": TOR, "change_summary": "Tidy"}, format="json")
    assert made.status_code == 201
    draft = made.json()
    assert (draft["number"], draft["status"]) == (2, "draft")
    assert draft["body"] == current_template(TOR).body
    assert api_client.post(url, {"kind": TOR}, format="json").status_code == 409
    one = f"{url}{draft['id']}/"
    changed = api_client.patch(one, {"version": draft["version"], "body": "New"}, format="json")
    assert changed.json()["version"] == draft["version"] + 1
    stale = api_client.patch(one, {"version": draft["version"], "body": "Old"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == draft["version"] + 1
    api_client.force_authenticate(nec_hub_officer)
    assert api_client.get(one).status_code == 404  # drafts are national admins' own
    assert api_client.patch(one, {"version": 2, "body": "Mine"}, format="json").status_code == 403
    assert api_client.post(f"{one}publish/", {"version": 2}, format="json").status_code == 403
    api_client.force_authenticate(national_admin)
    assert api_client.get(url, {"status": "draft"}).json()["count"] == 1
    published = api_client.post(f"{one}publish/", {"version": 2}, format="json")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert api_client.post(f"{one}publish/", {"version": 3}, format="json").status_code == 409
    kinds = api_client.get(url, {"template__kind": TOR}).json()["results"]
    assert [(v["number"], v["status"]) for v in kinds] == [(2, "published"), (1, "archived")]


# A group's new document starts from the current template.


def test_a_groups_first_draft_starts_from_the_current_template(
    client, national_admin, nec_hub_officer
):
    second = new_version(national_admin, body="Terms, national version 2")
    publish(second, national_admin)
    group = make_group(by=nec_hub_officer)
    client.force_login(nec_hub_officer)
    url = reverse("governance:draft-create", args=[group.pk, TOR])
    page = client.get(url)
    form = page.context["form"]
    assert form["body"].value() == "Terms, national version 2"
    assert form["from_template"].value() == second.pk
    assert "national terms of reference template, version 2" in page.content.decode()
    # A new template version published meanwhile: the draft records the one its text came from.
    publish(new_version(national_admin, body="Terms, national version 3"), national_admin)
    made = client.post(
        url,
        {
            "body": "Terms, adapted for the North East",
            "from_template": second.pk,
            "quorum_chair_or_vice_required": "yes",
            "quorum_min_ccg_members": "3",
        },
    )
    version = DocumentVersion.objects.get(document__group=group)
    assert made["Location"] == version.get_absolute_url()
    assert version.from_template == second
    detail = client.get(version.get_absolute_url()).content.decode()
    assert "Started from the" in detail
    assert "terms of reference template, version 2" in detail
    # The group's next draft starts from its own latest version, and keeps the template.
    page = client.get(url)
    assert page.context["form"]["body"].value() == "Terms, adapted for the North East"
    assert page.context["form"]["from_template"].value() == second.pk


def test_a_draft_cannot_claim_a_template_of_another_kind(client, nec_hub_officer):
    group = make_group(by=nec_hub_officer)
    client.force_login(nec_hub_officer)
    page = client.post(
        reverse("governance:draft-create", args=[group.pk, TOR]),
        {
            "body": "Terms",
            "from_template": current_template(AGREEMENT).pk,
            "quorum_chair_or_vice_required": "yes",
            "quorum_min_ccg_members": "3",
        },
    )
    assert "published national template of the same kind" in page.content.decode()
    assert not DocumentVersion.objects.exists()


def test_the_documents_api_starts_a_first_draft_from_the_template(api_client, nec_hub_officer):
    group = make_group(by=nec_hub_officer)
    api_client.force_authenticate(nec_hub_officer)
    body = {"group": group.pk, "kind": AGREEMENT}
    made = api_client.post("/api/v1/documents/", body, format="json")
    assert made.status_code == 201
    template = current_template(AGREEMENT)
    assert (made.json()["body"], made.json()["from_template"]) == (template.body, template.pk)
    written = api_client.post(
        "/api/v1/documents/", {**body, "body": "Our own text"}, format="json"
    ).json()
    assert (written["body"], written["from_template"]) == ("Our own text", None)


def test_a_boards_terms_start_from_the_board_template(north_reviewer, nec_hub_officer):
    """Issue 16: a strategy board's first terms of reference start from the national strategy
    board template (written from seed 003), an oversight group's from the group template."""
    from governance.board_draft import BOARD_KIND
    from governance.selectors import draft_starting_point
    from tests.oversight.board_setup import make_board

    group = make_group(by=nec_hub_officer)
    board = make_board(group, north_reviewer)

    board_start = draft_starting_point(board, TOR)
    assert board_start.from_template.template.kind == BOARD_KIND
    assert "Regional Leadership Group (RLG)" in board_start.body
    assert (
        "Finance representative" in board_start.body or "finance representative" in board_start.body
    )
    group.refresh_from_db()
    assert draft_starting_point(group, TOR).from_template.template.kind == TOR
    made = services.version_draft_create(by=north_reviewer, group=board, kind=TOR, body=None)
    assert made.from_template.template.kind == BOARD_KIND
    with pytest.raises(services.DocumentError) as refused:
        services.version_draft_create(
            by=north_reviewer,
            group=board,
            kind=TOR,
            body="Text",
            from_template=current_template(TOR),
        )
    assert refused.value.field == "from_template"
