"""Two hub officers edit one draft of the terms of reference at once (issue 18, finding 2): the
second sees, field by field, what the first saved against what they typed, chooses per field,
and saving after the choice succeeds without silently losing the colleague's words."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from governance import services
from hubs.models import Hub
from tests.factories import make_group, make_user

pytestmark = pytest.mark.django_db

BASE = "1. Purpose. The group oversees specialised commissioning.\n2. Membership. One lead per CCG."
THEIRS = (
    "1. Purpose. The group oversees specialised commissioning.\n2. Membership. One lead per CCG."
    "\n2a. Deputies may attend with the chair's agreement."
)
MINE = (
    "1. Purpose and scope. The group oversees specialised commissioning.\n"
    "2. Membership. One lead per CCG."
)


@pytest.fixture
def owen(register):
    """Owen, a second North East and Cumbria hub officer, editing the same draft as Helen."""
    return make_user(
        "owen@example.nhs.uk",
        "Owen Reid",
        (Role.HUB_STAFF, Hub.objects.get(slug="north-east-and-cumbria")),
    )


@pytest.fixture
def terms(nec_hub_officer):
    group = make_group(by=nec_hub_officer)
    return services.version_draft_create(
        by=nec_hub_officer, group=group, kind="terms_of_reference", body=BASE
    )


def _post(client, terms, *, version, body=MINE, quorum=3, **extra):
    data = {
        "version": version,
        "body": body,
        "change_summary": "",
        "quorum_chair_or_vice_required": "yes",
        "quorum_min_ccg_members": quorum,
        **extra,
    }
    return client.post(reverse("governance:draft-edit", args=[terms.pk]), data)


def _owen_saves(terms, owen, **changes):
    opened = terms.version
    services.version_update(
        by=owen, version_obj=terms, version=opened, **({"body": THEIRS} | changes)
    )
    terms.refresh_from_db()
    return opened


def test_the_second_editor_sees_both_versions_marked(client, terms, nec_hub_officer, owen):
    opened = _owen_saves(terms, owen)
    client.force_login(nec_hub_officer)
    page = _post(client, terms, version=opened)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Owen Reid saved this while you were editing" in html
    assert "Check the current values below" not in html
    # Theirs, with their new clause marked as added; yours, with your words marked.
    theirs = html.split('id="conflict-body-their-version"')[1].split("</dd>")[0]
    assert '<ins class="app-diff__ins">' in theirs
    assert "Deputies may attend" in theirs.split("<ins")[1]
    mine = html.split('id="conflict-body-your-version"')[1].split("</dd>")[0]
    assert "and scope." in mine.split("<ins")[1]
    # The merged box holds both, and the form now carries the new version.
    merged = html.split('name="body"')[1].split("</textarea>")[0]
    assert "Purpose and scope." in merged
    assert "2a. Deputies may attend" in merged
    assert f'name="version" value="{terms.version}"' in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "every id on the page is unique (labels find their input)"
    terms.refresh_from_db()
    assert terms.body == THEIRS  # nothing of Helen's saved yet


def test_keeping_both_saves_the_colleagues_clause_too(client, terms, nec_hub_officer, owen):
    opened = _owen_saves(terms, owen)
    client.force_login(nec_hub_officer)
    page = _post(client, terms, version=opened)
    merged = page.content.decode().split('name="body"')[1].split(">", 1)[1].split("</textarea>")[0]
    saved = _post(
        client,
        terms,
        version=terms.version,
        body=merged.replace("&#x27;", "'"),
        _conflict="body",
        **{
            "_conflict-choice-body": "merged",
            "_conflict-theirs-body": THEIRS,
            "_conflict-mine-body": MINE,
            "_conflict-base-body": BASE,
        },
    )
    assert saved.status_code == 302
    terms.refresh_from_db()
    assert "1. Purpose and scope." in terms.body
    assert "2a. Deputies may attend with the chair's agreement." in terms.body


@pytest.mark.parametrize(("choice", "expected"), [("theirs", THEIRS), ("mine", MINE)])
def test_taking_theirs_or_keeping_mine(client, terms, nec_hub_officer, owen, choice, expected):
    opened = _owen_saves(terms, owen)
    client.force_login(nec_hub_officer)
    _post(client, terms, version=opened)
    saved = _post(
        client,
        terms,
        version=terms.version,
        body="whatever is in the merged box",
        _conflict="body",
        **{
            "_conflict-choice-body": choice,
            "_conflict-theirs-body": THEIRS,
            "_conflict-mine-body": MINE,
            "_conflict-base-body": BASE,
        },
    )
    assert saved.status_code == 302
    terms.refresh_from_db()
    assert terms.body == expected


def test_a_short_field_needs_a_choice(client, terms, nec_hub_officer, owen):
    opened = _owen_saves(terms, owen, body=BASE, quorum_min_ccg_members=5)
    client.force_login(nec_hub_officer)
    page = _post(client, terms, version=opened, body=BASE, quorum=4)
    html = page.content.decode()
    assert 'id="conflict-quorum_min_ccg_members"' in html
    assert "(was: 3)" in html
    # Saving without choosing changes nothing and says so beside the field.
    unchosen = _post(
        client,
        terms,
        version=terms.version,
        body=BASE,
        quorum=4,
        _conflict="quorum_min_ccg_members",
        **{
            "_conflict-theirs-quorum_min_ccg_members": "5",
            "_conflict-mine-quorum_min_ccg_members": "4",
        },
    )
    assert "Choose whether to take their quorum" in unchosen.content.decode()
    assert 'href="#id_quorum_min_ccg_members"' in unchosen.content.decode()
    assert 'id="id_quorum_min_ccg_members"' in unchosen.content.decode()
    terms.refresh_from_db()
    assert terms.quorum_min_ccg_members == 5
    taken = _post(
        client,
        terms,
        version=terms.version,
        body=BASE,
        quorum=4,
        _conflict="quorum_min_ccg_members",
        **{
            "_conflict-choice-quorum_min_ccg_members": "theirs",
            "_conflict-theirs-quorum_min_ccg_members": "5",
            "_conflict-mine-quorum_min_ccg_members": "4",
        },
    )
    assert taken.status_code == 302
    terms.refresh_from_db()
    assert terms.quorum_min_ccg_members == 5


def test_a_field_you_did_not_touch_defaults_to_theirs(client, terms, nec_hub_officer, owen):
    opened = _owen_saves(terms, owen, body=BASE, quorum_min_ccg_members=5)
    client.force_login(nec_hub_officer)
    html = _post(client, terms, version=opened, body=BASE, quorum=3).content.decode()
    radio = html.split('value="theirs"')[1].split(">")[0]
    assert "checked" in radio


def test_the_error_summary_links_to_each_field_to_choose_on(client, terms, nec_hub_officer, owen):
    opened = _owen_saves(terms, owen)
    client.force_login(nec_hub_officer)
    html = _post(client, terms, version=opened).content.decode()
    summary = html.split("nhsuk-error-summary__list")[1].split("</ul>")[0]
    assert '<a href="#conflict-body-theirs">Text: choose whose to keep</a>' in summary
    assert html.count('id="conflict-body-theirs"') == 1  # the radio, and no other element
