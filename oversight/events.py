"""The audit verbs the oversight group's services record, one name per event."""

from commissioning import audit

GROUP_CREATED = "group.created"
GROUP_UPDATED = "group.updated"

CCG_INVITED = "ccg.invited"
CCG_ACCEPTED = "ccg.accept"
CCG_REPRESENTED = "ccg.represent"
CCG_DECLINED = "ccg.decline"
CCG_REPRESENTATION_LOST = "ccg.representation_lost"
# Representation is agreed by both sides (issue 13): the representative's lead answers.
CCG_REPRESENTATION_CONFIRMED = "ccg.representation_confirmed"
CCG_REPRESENTATION_DECLINED = "ccg.representation_declined"
CCG_WITHDRAWN = "ccg.withdrawn"
# A merged or replaced organisation's place passed to its successor (oversight/succession.py).
CCG_HANDED_OVER = "ccg.handed_over"

MEMBER_ADDED = "member.added"
MEMBER_UPDATED = "member.updated"

INTEREST_REGISTERED = "interest.registered"
INTEREST_UPDATED = "interest.updated"

SUBGROUP_CREATED = "subgroup.created"
SUBGROUP_UPDATED = "subgroup.updated"

# Committees (issue 15): the Commissioning Committee and primary care joint committees.
COMMITTEE_CREATED = "committee.created"
COMMITTEE_UPDATED = "committee.updated"

# Strategy boards (issue 16; seed 003): a board succeeds a group; its members carried forward.
BOARD_CREATED = "board.created"
GROUP_SUCCEEDED = "group.succeeded"
MEMBER_CARRIED = "member.carried"


audit.label_verbs(
    {
        COMMITTEE_CREATED: "Committee set up",
        COMMITTEE_UPDATED: "Committee changed",
        BOARD_CREATED: "Strategy board set up",
        GROUP_SUCCEEDED: "Succeeded by a strategy board",
        MEMBER_CARRIED: "Member carried forward to the board",
    }
)
