"""The 2013 NHS England area teams and their CCGs (hubs/data/ccg_area_teams_2013.csv), loaded
after the register: each team's region is the region of 2015 its 2013 commissioning region
became, and every CCG named must be in the register. A CCG formed later from CCGs of one area
team takes that team too."""

import csv
from pathlib import Path

from .models import CCG, AreaTeam, CCGSuccession, Region

AREA_TEAMS_FILE = "ccg_area_teams_2013.csv"
# ONS's 2013 commissioning regions, by the names of the 2015 regions they became.
REGION_OF_2013 = {
    "North of England": "North",
    "Midlands and East of England": "Midlands and East",
    "London": "London",
    "South of England": "South",
}


def check(data_dir: Path, known_ods: set[str], problems: list[str]) -> list[dict]:
    path = data_dir / AREA_TEAMS_FILE
    if not path.exists():
        problems.append(f"{AREA_TEAMS_FILE}: file not found")
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    teams: dict[str, tuple[str, str]] = {}
    for line, row in enumerate(rows, start=2):
        where = f"{AREA_TEAMS_FILE}, line {line}"
        if row["ods_code"] not in known_ods:
            problems.append(f"{where}: CCG '{row['ods_code']}' is not in the register")
        if row["commissioning_region_2013"] not in REGION_OF_2013:
            problems.append(f"{where}: unknown region '{row['commissioning_region_2013']}'")
        team = (row["area_team"], row["commissioning_region_2013"])
        if teams.setdefault(row["area_team_ons"], team) != team:
            problems.append(f"{where}: area team {row['area_team_ons']} named two ways")
    return rows


def load(rows: list[dict], upsert, report) -> None:
    regions = {r.name: r for r in Region.objects.all()}
    teams: dict[str, AreaTeam] = {}
    for row in rows:
        if row["area_team_ons"] not in teams:
            teams[row["area_team_ons"]] = upsert(
                AreaTeam,
                report,
                "area team",
                {"ons_code": row["area_team_ons"]},
                {
                    "name": row["area_team"],
                    "region": regions[REGION_OF_2013[row["commissioning_region_2013"]]],
                },
            )
    team_of = {row["ods_code"]: teams[row["area_team_ons"]] for row in rows}
    for ods, team in team_of.items():
        upsert(CCG, report, "CCG's area team", {"ods_code": ods}, {"area_team": team})
    # CCGs formed by mergers within one area team (2015-2021) belong to it too.
    links = CCGSuccession.objects.filter(successor__kind=CCG.Kind.CCG).values_list(
        "predecessor__ods_code", "successor__ods_code"
    )
    formed: dict[str, set[str]] = {}
    for predecessor, successor in links.order_by("effective_date"):
        formed.setdefault(successor, set()).add(predecessor)
    for successor, predecessors in formed.items():  # earliest merger first: chains resolve
        found = {team_of[p] for p in predecessors if p in team_of}
        if len(found) == 1 and successor not in team_of:
            team_of[successor] = found.pop()
            upsert(
                CCG,
                report,
                "CCG's area team",
                {"ods_code": successor},
                {"area_team": team_of[successor]},
            )
