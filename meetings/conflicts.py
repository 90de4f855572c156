"""Possible conflicts of interest: an agenda item that names an organisation in which a member
has a current entry in the group's register of interests."""

from dataclasses import dataclass

from django.utils import timezone

from oversight.models import Interest


@dataclass(frozen=True)
class Conflict:
    interest: Interest
    declared: bool  # already declared and managed at this meeting


def _mentions(item, organisation: str) -> bool:
    text = " ".join([item.title, item.summary, item.concerns]).casefold()
    return organisation.casefold() in text


def conflicts_by_item(meeting, items) -> dict[int, list[Conflict]]:
    """{item id: possible conflicts}, from the register valid on the meeting's date (1 query)."""
    day = timezone.localtime(meeting.starts_at).date()
    interests = [
        i
        for i in Interest.objects.filter(
            member__group=meeting.group_id, member__committee=meeting.committee_id
        ).select_related("member")
        if i.is_current_on(day) and i.organisation.strip()
    ]
    result = {}
    for item in items:
        declared = {d.member_id for d in item.declarations.all()}
        found = [
            Conflict(interest=i, declared=i.member_id in declared)
            for i in interests
            if _mentions(item, i.organisation)
        ]
        if found:
            result[item.pk] = found
    return result
