"""Quorum: worked out from the attendance and the rule in the agreed terms of reference (a
group's) or in the committee's own record (a committee's, issue 15). For one decision, the
members who declared an interest and took no part are not counted."""

from dataclasses import dataclass

from governance.selectors import agreed_terms_of_reference
from oversight.models import GroupMember

from .models import Attendance


@dataclass(frozen=True)
class QuorumRule:
    chair_or_vice_required: bool
    min_ccg_members: int
    min_voting_members: int = 0

    def __str__(self) -> str:
        parts = []
        if self.min_voting_members:
            parts.append(f"at least {self.min_voting_members} voting member(s)")
        if self.min_ccg_members or not parts:
            parts.append(f"at least {self.min_ccg_members} voting CCG member(s)")
        chair = "the chair or vice chair present, plus " if self.chair_or_vice_required else ""
        text = f"{chair}{' and '.join(parts)} present"
        return text[0].upper() + text[1:]  # not capitalize(): it would lower "CCG"


@dataclass(frozen=True)
class Quorum:
    rule: QuorumRule | None
    chair_present: bool
    ccg_members_present: int
    voting_members_present: int = 0

    @property
    def known(self) -> bool:
        """False while the group has no agreed terms of reference to take a rule from."""
        return self.rule is not None

    @property
    def met(self) -> bool:
        if self.rule is None:
            return False
        chair_ok = self.chair_present or not self.rule.chair_or_vice_required
        return (
            chair_ok
            and self.ccg_members_present >= self.rule.min_ccg_members
            and self.voting_members_present >= self.rule.min_voting_members
        )

    @property
    def shortfall(self) -> list[str]:
        if self.rule is None:
            return ["The group has no agreed terms of reference, so there is no quorum rule."]
        gaps = []
        if self.rule.chair_or_vice_required and not self.chair_present:
            gaps.append("Neither the chair nor a vice chair is present.")
        if self.voting_members_present < self.rule.min_voting_members:
            gaps.append(
                f"{self.voting_members_present} voting member(s) present; "
                f"{self.rule.min_voting_members} needed."
            )
        if self.ccg_members_present < self.rule.min_ccg_members:
            gaps.append(
                f"{self.ccg_members_present} voting CCG member(s) present; "
                f"{self.rule.min_ccg_members} needed."
            )
        return gaps


def rule_for_group(group) -> QuorumRule | None:
    """The quorum rule in the group's agreed terms of reference, if there is one."""
    terms = agreed_terms_of_reference(group)
    if terms is None:
        return None
    return QuorumRule(
        chair_or_vice_required=terms.quorum_chair_or_vice_required,
        min_ccg_members=terms.quorum_min_ccg_members,
    )


def rule_for_meeting(meeting) -> QuorumRule | None:
    """The quorum rule of the group or committee that holds the meeting."""
    committee = meeting.committee
    if committee is None:
        return rule_for_group(meeting.group)
    return QuorumRule(
        chair_or_vice_required=committee.quorum_chair_or_vice_required,
        min_ccg_members=committee.quorum_min_ccg_members,
        min_voting_members=committee.quorum_min_voting_members,
    )


def present_members(attendance: list[Attendance], excluded: frozenset[int] = frozenset()):
    """The members present, less those excluded (by member id)."""
    return [
        a.member
        for a in attendance
        if a.status == Attendance.Status.PRESENT and a.member_id not in excluded
    ]


def quorum_for(
    attendance: list[Attendance],
    rule: QuorumRule | None,
    excluded: frozenset[int] = frozenset(),
) -> Quorum:
    """The quorum of those present; `excluded` (member ids) took no part, for one decision."""
    present = present_members(attendance, excluded)
    return Quorum(
        rule=rule,
        chair_present=any(
            m.role in (GroupMember.Role.CHAIR, GroupMember.Role.VICE_CHAIR) for m in present
        ),
        ccg_members_present=sum(
            1 for m in present if m.sector == GroupMember.Sector.CCG and m.voting
        ),
        voting_members_present=sum(1 for m in present if m.voting),
    )
