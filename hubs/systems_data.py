"""Integrated care systems in the register, from `data/ics_places.csv` (issue 16): one row per
commissioner in a system's place. Loaded after the register, so every commissioner named must
be in it. Each commissioner's row in the system runs from the later of the system's start and
its own, to its own end: a CCG that merged leaves on the day before its successor (also listed)
joins, and the CCGs leave on 30 June 2022 when their ICB (listed without a place) takes over.

Product data, not a seed's: seed 003 names the North East and North Cumbria's ICPs only by
"each ICP area" and "the Central ICP"; the four places (North, Central, South, North Cumbria)
and their CCGs are from the system's public documents of 2018-2019."""

import csv
import datetime
from pathlib import Path

from .models import CCG, Hub, IntegratedCareSystem, Place, SystemMember

SYSTEMS_FILE = "ics_places.csv"


def check(data_dir: Path, known_ods: set[str], hubs: set[str], problems: list[str]) -> list[dict]:
    path = data_dir / SYSTEMS_FILE
    if not path.exists():
        problems.append(f"{SYSTEMS_FILE}: file not found")
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(rows, start=2):
        where = f"{SYSTEMS_FILE}, line {line}"
        if row["ods_code"] not in known_ods:
            problems.append(f"{where}: commissioner '{row['ods_code']}' is not in the register")
        if row["hub"] not in hubs:
            problems.append(f"{where}: unknown hub '{row['hub']}'")
        if row["kind"] not in IntegratedCareSystem.Kind.values:
            problems.append(f"{where}: kind must be stp or ics, not '{row['kind']}'")
        try:
            row["system_from"] = datetime.date.fromisoformat(row["system_from"])
        except ValueError:
            problems.append(f"{where}: '{row['system_from']}' is not a date (YYYY-MM-DD)")
        key = (row["system"], row["ods_code"])
        if key in seen:
            problems.append(f"{where}: {row['ods_code']} listed twice in {row['system']}")
        seen.add(key)
    return rows


def load(rows: list[dict], upsert, report) -> None:
    hubs = {h.name: h for h in Hub.objects.all()}
    commissioners = {
        c.ods_code: c for c in CCG.objects.filter(ods_code__in={r["ods_code"] for r in rows})
    }
    for row in rows:
        system = upsert(
            IntegratedCareSystem,
            report,
            "system",
            {"name": row["system"]},
            {
                "short_name": row["short_name"],
                "kind": row["kind"],
                "hub": hubs[row["hub"]],
                "valid_from": row["system_from"],
                "source": "Register data (hubs/data/ics_places.csv)",
            },
        )
        place = None
        if row["place"]:
            place = upsert(
                Place,
                report,
                "place",
                {"system": system, "name": row["place"]},
                {"valid_from": row["system_from"]},
            )
        commissioner = commissioners[row["ods_code"]]
        start = max(row["system_from"], commissioner.valid_from)
        if commissioner.valid_to is not None and commissioner.valid_to < start:
            continue  # closed before the system began: never in it
        upsert(
            SystemMember,
            report,
            "system member",
            {"system": system, "commissioner": commissioner, "valid_from": start},
            {"place": place, "valid_to": commissioner.valid_to},
        )
