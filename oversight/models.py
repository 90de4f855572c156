"""The oversight group and what is the group's: CCG places, members, interests, sub-groups.

These models moved here from `hubs`; they keep the tables they had there (`hubs_*`), so the
move changed no table and no row.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning.limits import LONG_TEXT
from hubs.models import CCG, Hub, IntegratedCareSystem, Place, Region


class _History(HistoricalRecords):
    """History kept in the tables the models had in `hubs`, including sub-groups' m2m history."""

    def __init__(self, table: str, **kwargs):
        super().__init__(table_name=f"hubs_historical{table}", **kwargs)

    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        options["db_table"] = "hubs_" + self.get_history_model_name(through_model).lower()
        return options


class OversightGroup(models.Model):
    """A hub's collaborative commissioning oversight group. It recommends; it does not decide."""

    # What it is called in messages, and the name of a member's or meeting's field for it.
    noun = "group"

    class Kind(models.TextChoices):
        OVERSIGHT_GROUP = "oversight_group", "Collaborative commissioning oversight group"
        STRATEGY_BOARD = "strategy_board", "Specialised commissioning strategy board (ICS)"

    class Status(models.TextChoices):
        FORMING = "forming", "Forming"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OVERSIGHT_GROUP)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FORMING)
    start_date = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    purpose = models.TextField(blank=True, max_length=LONG_TEXT)
    # A strategy board (issue 16; seed 003) is a workstream programme board of an integrated
    # care system, and succeeds ("will replace") the hub's oversight group: `predecessor`.
    system = models.ForeignKey(
        IntegratedCareSystem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="boards",
    )
    predecessor = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successor",
        help_text="The oversight group this board succeeds.",
    )
    # The date whose footprint the group works with (issue 13: never today's): its start date,
    # brought forward only by `oversight.succession.footprint_bring_forward`, which hands each
    # merged or replaced organisation's place to its successor as an audited change.
    footprint_date = models.DateField(null=True, blank=True)
    # Optimistic locking: every change names the version it was made from.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True
    )

    history = _History("oversightgroup")

    class Meta:
        db_table = "hubs_oversightgroup"
        ordering = ["hub__name", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub"],
                condition=~Q(status="closed"),
                name="oversight_group_one_open_per_hub",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("start_date")),
                name="oversight_group_closed_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False) | ~Q(status="closed"),
                name="oversight_group_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(kind="strategy_board", system__isnull=False)
                | Q(kind="oversight_group", system__isnull=True, predecessor__isnull=True),
                name="oversight_group_board_in_a_system",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workspace:group-detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        """Closed: kept as a record; nothing new is added to it."""
        return self.status == self.Status.CLOSED

    @property
    def is_board(self) -> bool:
        """A specialised commissioning strategy board of an ICS (issue 16), not an oversight
        group: it is run by the region as well as the hub, and recommends to the RLG and ICS."""
        return self.kind == self.Kind.STRATEGY_BOARD

    @property
    def recommends_to(self) -> str:
        """Whom the group's recommendations go to. An oversight group's go to NHS England's
        regional team (seed 000 §3.4); a strategy board's to the Regional Leadership Group,
        where "decision making ... for specialised commissioning" sits, and to the ICS
        (seed 003, "Proposed place based arrangements within the ICS"). Needs hub.region and,
        for a board, system loaded."""
        region = self.hub.region.name
        if self.is_board:
            return f"the {region} Regional Leadership Group (RLG) and {self.system}"
        return f"NHS England's {region} regional team"

    @property
    def responder(self) -> str:
        """Who answers a recommendation, as a status says it: "the RLG" or "the region"."""
        return "the RLG" if self.is_board else "the region"

    @property
    def kind_noun(self) -> str:
        """ "strategy board" or "oversight group", as sentences say it."""
        return "strategy board" if self.is_board else "oversight group"

    @property
    def footprint_day(self) -> datetime.date:
        """The date of the footprint the group invites, covers and is judged ready on."""
        return self.footprint_date or self.start_date


class Committee(models.Model):
    """A committee that meets but is no hub's oversight group (issue 15; seed 002): NHS
    England's Commissioning Committee, which signs off delegated co-commissioning ("Model 3:
    Delegated arrangements"), and a primary care joint committee of CCGs and NHS England
    ("Model 2: Joint commissioning"). Its members, register of interests, meetings, declarations
    and quorum are the ones a group has; its quorum rule is its own (its terms of reference)."""

    noun = "committee"  # as OversightGroup.noun

    class Kind(models.TextChoices):
        COMMISSIONING_COMMITTEE = "commissioning_committee", "NHS England Commissioning Committee"
        JOINT_COMMITTEE = "joint_committee", "Primary care joint committee"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    name = models.CharField(max_length=200)
    # A joint committee's region (whose office agreed it); none for the national committee.
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="committees"
    )
    ccgs = models.ManyToManyField(CCG, blank=True, related_name="committees")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    start_date = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    purpose = models.TextField(blank=True, max_length=LONG_TEXT)
    quorum_chair_or_vice_required = models.BooleanField(
        "The chair or vice chair must be present", default=True
    )
    quorum_min_voting_members = models.PositiveSmallIntegerField(
        "Voting members present, at least", default=3
    )
    quorum_min_ccg_members = models.PositiveSmallIntegerField(
        "Voting CCG members present, at least", default=0
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[ccgs])

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="commissioning_committee") & ~Q(status="closed"),
                name="committee_one_open_commissioning_committee",
            ),
            models.CheckConstraint(
                condition=Q(kind="commissioning_committee", region__isnull=True)
                | Q(kind="joint_committee", region__isnull=False),
                name="committee_joint_has_region",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("start_date")),
                name="committee_closed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:committee-detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        """Closed: kept as a record; nothing new is added to it."""
        return self.status == self.Status.CLOSED

    @property
    def is_national(self) -> bool:
        return self.kind == self.Kind.COMMISSIONING_COMMITTEE


class CCGMembership(models.Model):
    """A footprint CCG's place in a group: invited, member, representation requested,
    represented, declined, withdrawn.

    Representation is agreed by both sides (issue 13): a CCG that names another to represent it
    is "representation requested" (not covered) until the representative's lead confirms."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        MEMBER = "member", "Member"
        REPRESENTATION_REQUESTED = "representation_requested", "Representation requested"
        REPRESENTED = "represented", "Represented by another CCG"
        DECLINED = "declined", "Declined (not represented)"
        WITHDRAWN = "withdrawn", "Withdrawn (not represented)"

    COVERED = (Status.MEMBER, Status.REPRESENTED)
    # The statuses that name a representative (asked for, or agreed).
    NAMES_REPRESENTATIVE = (Status.REPRESENTATION_REQUESTED, Status.REPRESENTED)

    group = models.ForeignKey(OversightGroup, on_delete=models.PROTECT, related_name="ccgs")
    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.INVITED)
    represented_by = models.ForeignKey(
        CCG, null=True, blank=True, on_delete=models.PROTECT, related_name="representing"
    )
    invited_at = models.DateTimeField()
    invited_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    note = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = _History("ccgmembership")

    class Meta:
        db_table = "hubs_ccgmembership"
        ordering = ["ccg__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "ccg"], name="ccg_membership_once_per_group"),
            models.CheckConstraint(
                condition=(
                    Q(
                        status__in=["representation_requested", "represented"],
                        represented_by__isnull=False,
                    )
                    | (
                        ~Q(status__in=["representation_requested", "represented"])
                        & Q(represented_by__isnull=True)
                    )
                ),
                name="ccg_membership_represented_has_representative",
            ),
            models.CheckConstraint(
                condition=~Q(represented_by=models.F("ccg")),
                name="ccg_membership_not_self_represented",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ccg.name} in {self.group.name}: {self.get_status_display()}"

    @property
    def is_covered(self) -> bool:
        return self.status in self.COVERED

    @property
    def is_invited(self) -> bool:
        """Invited and not yet answered."""
        return self.status == self.Status.INVITED

    @property
    def is_represented(self) -> bool:
        return self.status == self.Status.REPRESENTED

    @property
    def is_representation_requested(self) -> bool:
        """Has asked another CCG to represent it; that CCG's lead has not yet confirmed."""
        return self.status == self.Status.REPRESENTATION_REQUESTED

    @property
    def may_withdraw(self) -> bool:
        """Invited, a member, represented or asking to be: the place may still be withdrawn."""
        return self.status in (
            self.Status.INVITED,
            self.Status.REPRESENTATION_REQUESTED,
            *self.COVERED,
        )


class GroupMember(models.Model):
    """A person on the group (NHS England, PHE, patients and public, councils, providers, CCGs),
    or on a committee (issue 15): each member belongs to exactly one of the two."""

    class Sector(models.TextChoices):
        NHS_ENGLAND = "nhs_england", "NHS England"
        CCG = "ccg", "CCG"
        PUBLIC_HEALTH_ENGLAND = "phe", "Public Health England"
        PATIENT_PUBLIC = "ppv", "Patient and public voice"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        VOLUNTARY = "voluntary", "Voluntary sector"
        PROVIDER = "provider", "Provider"

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice chair"
        CLINICAL_LEAD = "clinical_lead", "Clinical lead"
        FINANCE_LEAD = "finance_lead", "Finance lead"
        MEMBER = "member", "Member"
        OBSERVER = "observer", "Observer"

    group = models.ForeignKey(
        OversightGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    full_name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    organisation = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    ccg = models.ForeignKey(
        CCG,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For CCG members: the CCG they speak for.",
    )

    class Seat(models.TextChoices):
        """A strategy board's seats: seed 003, "Membership of Specialised Commissioning
        Strategy Group" (its list, in its order)."""

        REGIONAL_DIRECTOR = "regional_director", "Regional Director, specialised commissioning"
        ICS_LEAD = "ics_lead", "STP/ICS lead"
        MEDICAL_DIRECTOR = "medical_director", "Medical Director, DCO team"
        ICS_GOVERNANCE_LEAD = "ics_governance_lead", "STP/ICS governance lead"
        HUB = "hub", "Representative of the specialised commissioning hub"
        PLACE = "place", "Representative of an ICP area"
        PROVIDER = "provider", "Representative of tier 1 and 2 specialised providers"
        LAY = "lay", "Lay representative"
        FINANCE = "finance", "Finance representative"

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    seat = models.CharField(
        max_length=20,
        choices=Seat.choices,
        blank=True,
        help_text="On a strategy board: the seat of seed 003's membership the member fills.",
    )
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For an ICP area's representative: the place they represent.",
    )
    voting = models.BooleanField(default=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = _History("groupmember")

    class Meta:
        db_table = "hubs_groupmember"
        ordering = ["end_date", "role", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="group_member_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(sector="ccg", ccg__isnull=False) | ~Q(sector="ccg"),
                name="group_member_ccg_sector_names_ccg",
            ),
            models.CheckConstraint(
                condition=Q(group__isnull=False, committee__isnull=True)
                | Q(group__isnull=True, committee__isnull=False),
                name="group_member_of_group_or_committee",
            ),
            models.CheckConstraint(
                condition=Q(seat="place", place__isnull=False) | Q(place__isnull=True),
                name="group_member_place_only_for_place_seat",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()}, {self.organisation})"

    @property
    def body(self) -> "OversightGroup | Committee":
        """The group or committee the member sits on."""
        return self.group or self.committee  # type: ignore[return-value]

    def is_current_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class Interest(models.Model):
    """An entry in the group's register of interests: declared by a member, kept when it ends."""

    class Kind(models.TextChoices):
        FINANCIAL = "financial", "Financial interest"
        PROFESSIONAL = "professional", "Non-financial professional interest"
        PERSONAL = "personal", "Non-financial personal interest"
        INDIRECT = "indirect", "Indirect interest (through a close relative or associate)"

    member = models.ForeignKey(GroupMember, on_delete=models.PROTECT, related_name="interests")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    organisation = models.CharField(
        max_length=200, help_text="The organisation the interest is in, for example a provider."
    )
    description = models.CharField(max_length=300)
    valid_from = models.DateField("From")
    valid_to = models.DateField("To", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = _History("interest")

    class Meta:
        db_table = "hubs_interest"
        ordering = ["member__full_name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="interest_to_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.full_name}: {self.organisation} ({self.get_kind_display()})"

    def is_current_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class SubGroup(models.Model):
    """A delivery sub-group: delivers agreed priorities for a pathway or a geography."""

    class FocusKind(models.TextChoices):
        PATHWAY = "pathway", "Pathway (for example, cardiology)"
        GEOGRAPHY = "geography", "Geography"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    group = models.ForeignKey(OversightGroup, on_delete=models.PROTECT, related_name="subgroups")
    name = models.CharField(max_length=200)
    focus_kind = models.CharField("Focus", max_length=10, choices=FocusKind.choices)
    focus = models.CharField("Pathway or area", max_length=200)
    lead = models.ForeignKey(
        GroupMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(GroupMember, blank=True, related_name="subgroups")
    terms = models.TextField("Terms (remit)", blank=True, max_length=LONG_TEXT)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    version = models.PositiveIntegerField(default=1)
    history = _History("subgroup", m2m_fields=[members])

    class Meta:
        db_table = "hubs_subgroup"
        ordering = ["status", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "name"],
                condition=Q(status="active"),
                name="subgroup_name_unique_while_active",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        """Closed: kept as a record."""
        return self.status == self.Status.CLOSED


class Handover(models.Model):
    """A footprint organisation's place passed to its successor (a merger of CCGs, or a CCG's
    functions passing to an ICB on 1 July 2022). One row per predecessor; kept for ever."""

    group = models.ForeignKey(OversightGroup, on_delete=models.PROTECT, related_name="handovers")
    predecessor = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="+")
    successor = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="+")
    effective_date = models.DateField()
    # The predecessor's place as it was, and what the successor's place became.
    was = models.CharField(max_length=30)
    became = models.CharField(max_length=30)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_date", "successor__name", "predecessor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "predecessor"], name="handover_once_per_group_predecessor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.ods_code} → {self.successor.ods_code} in {self.group_id}"


class CarriedMember(models.Model):
    """A predecessor group's member offered to the strategy board that succeeds it (seed 003:
    "Membership will be carried forward from the previous Specialised Commissioning Oversight
    Group where available"). The board's staff decide each one: confirmed (the person joins the
    board), removed (they do not), or replaced (someone else takes their place)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "To decide"
        CONFIRMED = "confirmed", "Confirmed"
        REMOVED = "removed", "Removed"
        REPLACED = "replaced", "Replaced"

    board = models.ForeignKey(OversightGroup, on_delete=models.PROTECT, related_name="carried")
    member = models.ForeignKey(GroupMember, on_delete=models.PROTECT, related_name="carried_to")
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    # The board's member the decision made: the same person (confirmed) or their replacement.
    board_member = models.ForeignKey(
        GroupMember, null=True, blank=True, on_delete=models.PROTECT, related_name="carried_from"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["member__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["board", "member"], name="carried_member_once"),
            models.CheckConstraint(
                condition=Q(decision__in=["confirmed", "replaced"], board_member__isnull=False)
                | Q(decision__in=["pending", "removed"], board_member__isnull=True),
                name="carried_member_joins_when_kept",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.full_name}: {self.get_decision_display()}"
