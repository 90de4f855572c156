"""The register, and the people: national admins, regional teams, hub staff and CCG
leads (who follow their CCG into its successor)."""

import datetime
import string
from collections import defaultdict

from django.contrib.auth.hashers import make_password

from accounts.models import Role, RoleAssignment, User
from demo.people import DEMO_PASSWORD
from hubs.models import CCG, CCGSuccession, Hub, ProgrammeOfCare, Region
from hubs.reference import reference_data_load
from oversight.models import OversightGroup
from timeline.reminders import ensure_default_rules

from .constants import DOMAIN, FIRST_YEAR, STAFF_PER_HUB, STAFF_TITLES, TEAM_PER_REGION, TEAM_TITLES
from .helpers import GenerateError, at, bulk


class PeopleSteps:
    """The register and the people (CCG leads follow their CCG into its successor)."""

    def load_register(self) -> None:
        reference_data_load()
        ensure_default_rules()
        self.regions = list(Region.objects.order_by("name"))
        self.all_hubs = list(Hub.objects.select_related("region").order_by("name"))
        self.hubs = self.all_hubs[: self.hub_limit] if self.hub_limit else self.all_hubs
        self.ccgs_by_hub: dict[int, list[CCG]] = defaultdict(list)
        for ccg in CCG.objects.order_by("ods_code"):
            self.ccgs_by_hub[ccg.hub_id].append(ccg)
        self.ccg_by_id = {c.pk: c for cs in self.ccgs_by_hub.values() for c in cs}
        self.successions = list(
            CCGSuccession.objects.order_by("effective_date", "predecessor__ods_code", "pk")
        )
        self.programmes = list(ProgrammeOfCare.objects.order_by("name"))

    def refuse_if_filled(self) -> None:
        if User.objects.filter(email__endswith=f"@{DOMAIN}").exists():
            raise GenerateError("The database already holds generated data: run with --reset.")
        taken = OversightGroup.objects.filter(hub__in=self.hubs).exclude(status="closed")
        if taken.exists():
            raise GenerateError(
                "Some hubs already have an oversight group (demo data?): run with --reset."
            )

    def people(self) -> None:
        # Hashed once (slow by design) with a salt from the seed, so the hash is the same too.
        salt = "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(22))
        password = make_password(DEMO_PASSWORD, salt=salt)
        joined = at(datetime.date(FIRST_YEAR, 1, 5), 9)
        users: list[User] = []

        def person(email: str, title: str) -> User:
            user = User(
                email=f"{email}@{DOMAIN}",
                full_name=self.name(),
                job_title=title,
                password=password,
                date_joined=joined,
            )
            users.append(user)
            return user

        self.admins = [person(f"admin{i + 1}", "National Programme Lead") for i in range(2)]
        self.team = {
            region.pk: [
                person(f"team{i + 1}.{region.slug}", TEAM_TITLES[i % len(TEAM_TITLES)])
                for i in range(TEAM_PER_REGION)
            ]
            for region in self.regions
        }
        self.staff = {
            hub.pk: [
                person(f"staff{i + 1}.{hub.slug}", STAFF_TITLES[i % len(STAFF_TITLES)])
                for i in range(STAFF_PER_HUB)
            ]
            for hub in self.all_hubs
        }
        footprint_day = datetime.date(FIRST_YEAR, 4, 1)
        founding = [
            c
            for hub in self.all_hubs
            for c in self.ccgs_by_hub[hub.pk]
            if c.is_valid_on(footprint_day)
        ]
        leads = {
            c.pk: person(f"lead.{c.ods_code.lower()}", "CCG Director of Commissioning")
            for c in founding
        }
        bulk(User, users, self.counts)

        granted = joined
        admin = self.admins[0]
        roles = [
            RoleAssignment(
                user=u,
                role=Role.NATIONAL_ADMIN,
                granted_at=granted,
                granted_by=None if u is admin else admin,
            )
            for u in self.admins
        ]
        for region in self.regions:
            roles += [
                RoleAssignment(
                    user=u,
                    role=Role.REGIONAL_TEAM,
                    region=region,
                    granted_at=granted,
                    granted_by=admin,
                )
                for u in self.team[region.pk]
            ]
        for hub in self.all_hubs:
            roles += [
                RoleAssignment(
                    user=u, role=Role.HUB_STAFF, hub=hub, granted_at=granted, granted_by=admin
                )
                for u in self.staff[hub.pk]
            ]
        # A CCG lead follows their CCG into its successor when it merges.
        active: dict[int, list[RoleAssignment]] = defaultdict(list)  # ccg id → assignments
        self.lead_spells: dict[int, list] = defaultdict(list)  # ccg id → (user, from, to)
        for ccg in founding:
            ra = RoleAssignment(
                user=leads[ccg.pk],
                role=Role.CCG_LEAD,
                ccg=ccg,
                granted_at=granted,
                granted_by=admin,
            )
            active[ccg.pk].append(ra)
            roles.append(ra)
        for link in self.successions:
            if link.effective_date <= footprint_day:
                continue
            moved = at(link.effective_date, 0)
            for ra in active.pop(link.predecessor_id, []):
                ra.ended_at, ra.ended_by = moved, admin
                holders = {a.user.pk for a in active[link.successor_id]}
                if ra.user.pk in holders:
                    continue
                new = RoleAssignment(
                    user=ra.user,
                    role=Role.CCG_LEAD,
                    ccg_id=link.successor_id,
                    granted_at=moved,
                    granted_by=admin,
                )
                active[link.successor_id].append(new)
                roles.append(new)
        for ra in roles:
            if ra.role == Role.CCG_LEAD:
                ended = ra.ended_at.date() if ra.ended_at else None
                self.lead_spells[ra.ccg_id].append((ra.user, ra.granted_at.date(), ended))
        bulk(RoleAssignment, roles, self.counts)
        self.users = users

    def lead_of(self, ccg_id: int, day: datetime.date) -> User | None:
        for user, start, end in self.lead_spells.get(ccg_id, []):
            if start <= day and (end is None or day < end):
                return user
        return None

    def leads_in(self, hub: Hub, day: datetime.date) -> list[tuple[User, CCG]]:
        found = ((self.lead_of(c.pk, day), c) for c in self.ccgs_by_hub[hub.pk])
        return [(u, c) for u, c in found if u is not None]

    def footprint(self, hub: Hub, day: datetime.date) -> list[CCG]:
        return [c for c in self.ccgs_by_hub[hub.pk] if c.is_valid_on(day)]
