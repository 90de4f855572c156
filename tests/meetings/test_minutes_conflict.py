"""A meeting's minutes edited by two people at once (issue 18, finding 2): the generic form page
shows the same field-by-field comparison, and keeping both saves both people's words."""

import datetime

import pytest
from django.urls import reverse

from meetings import services
from tests.factories import make_group

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2015, 4, 21, 14, 0, tzinfo=datetime.UTC)
BASE = "Item 1. The group agreed the renal dialysis priority.\nItem 2. Actions reviewed."


def test_minutes_conflict_keeps_both_peoples_words(client, nec_hub_officer, national_admin):
    group = make_group(by=nec_hub_officer)
    meeting = services.meeting_schedule(
        by=nec_hub_officer, group=group, title="April", starts_at=WHEN, location="", online=True
    )
    meeting = services.meeting_update(
        by=nec_hub_officer, meeting=meeting, version=meeting.version, minutes=BASE
    )
    opened = meeting.version
    services.meeting_update(
        by=national_admin,
        meeting=meeting,
        version=opened,
        minutes=f"{BASE}\nItem 3. Any other business: none.",
    )
    client.force_login(nec_hub_officer)
    url = reverse("meetings:meeting-edit", args=[meeting.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        version=opened,
        starts_at="2015-04-21 15:00",
        online="on",
        minutes=BASE.replace("Actions reviewed.", "Actions reviewed; two stay open."),
    )
    page = client.post(url, data)
    html = page.content.decode()
    assert "saved this while you were editing" in html
    assert 'id="conflict-minutes"' in html
    merged = page.context["form"].conflicts["minutes"].merged
    assert "two stay open." in merged
    assert "Item 3. Any other business: none." in merged
    data.update(
        version=page.context["form"].data["version"],
        minutes=merged,
        _conflict="minutes",
        **{
            "_conflict-choice-minutes": "merged",
            "_conflict-theirs-minutes": f"{BASE}\nItem 3. Any other business: none.",
            "_conflict-mine-minutes": data["minutes"],
            "_conflict-base-minutes": BASE,
        },
    )
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert "two stay open." in meeting.minutes
    assert "Item 3. Any other business: none." in meeting.minutes
