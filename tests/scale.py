"""Data at national scale for query-count guards: every hub with an oversight group."""

import datetime

from hubs.models import CCG, Hub
from meetings.models import Meeting, Recommendation
from oversight.models import CCGMembership, GroupMember, OversightGroup

START = datetime.date(2015, 4, 1)
FIRST_MEETING = datetime.datetime(2015, 4, 21, 14, tzinfo=datetime.UTC)


def populate_country(
    *, ccgs: int = 30, members: int = 20, meetings: int = 0
) -> dict[str, OversightGroup]:
    """A group in each of the 10 hubs, each footprint grown to `ccgs` CCGs (all members), with
    `members` people and `meetings` held meetings, each with one open recommendation.
    Returns the groups by hub slug."""
    groups = {}
    for hub in Hub.objects.all():
        have = hub.ccgs.valid_on(START).count()  # the 2015/16 footprint, not every era
        CCG.objects.bulk_create(
            CCG(
                name=f"NHS Extra {hub.slug} {i} CCG",
                ods_code=f"{hub.pk:X}{i:02d}"[-3:],
                hub=hub,
                source=CCG.Source.PUBLIC_LIST,
                valid_from=datetime.date(2013, 4, 1),
            )
            for i in range(max(0, ccgs - have))
        )
        group = OversightGroup.objects.create(hub=hub, name=f"{hub.name} group", start_date=START)
        CCGMembership.objects.bulk_create(
            CCGMembership(
                group=group, ccg=c, invited_at=FIRST_MEETING, status=CCGMembership.Status.MEMBER
            )
            for c in hub.ccgs.all()
        )
        GroupMember.objects.bulk_create(
            GroupMember(
                group=group,
                full_name=f"Person {i}",
                organisation="NHS England",
                sector="nhs_england",
                start_date=START,
            )
            for i in range(members)
        )
        held = Meeting.objects.bulk_create(
            Meeting(
                group=group,
                title=f"Meeting {n}",
                location="Leeds",
                starts_at=FIRST_MEETING + datetime.timedelta(days=30 * n),
                status=Meeting.Status.HELD,
            )
            for n in range(meetings)
        )
        Recommendation.objects.bulk_create(
            Recommendation(meeting=m, title="R", detail="D", made_on=START) for m in held
        )
        groups[hub.slug] = group
    return groups
