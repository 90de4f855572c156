"""Loading the organisation register from the project's reference CSV files.

`reference_data_load` reads and checks every file first; any problem stops the load with
messages naming the file, line and problem, and nothing is written. A clean load runs in one
transaction and is idempotent: unchanged rows are left alone, changed rows are updated (and
keep their history), rows no longer in the files are never deleted.
"""

import csv
import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from commissioning import audit

from . import area_teams, events, systems_data
from .models import (
    CCG,
    CCG_ESTABLISHED,
    ICB_ESTABLISHED,
    CCGSuccession,
    Hub,
    ProgrammeOfCare,
    Region,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
# Clinical Commissioning Groups were established on 1 April 2013. All were abolished at the end
# of 30 June 2022; on 1 July 2022 their functions passed to 42 Integrated Care Boards (Health and
# Care Act 2022).
CCG_ABOLISHED = ICB_ESTABLISHED - datetime.timedelta(days=1)

HUBS_FILE = "hubs.csv"
FOOTPRINTS_FILE = "hub_footprints.csv"
SUCCESSIONS_FILE = "ccg_successions.csv"
SUCCESSIONS_2019_FILE = "ccg_successions_2019_2021.csv"
ICBS_FILE = "icbs_2022.csv"
CCG_TO_ICB_FILE = "ccg_to_icb_2022.csv"
POC_FILE = "programmes_of_care.csv"

SUCCESSION_COLUMNS = ["predecessor_ods", "successor_ods", "successor_name", "effective_date"]
COLUMNS = {
    HUBS_FILE: ["region", "hub", "valid_from"],
    FOOTPRINTS_FILE: ["region", "hub", "ccg_name", "ods_code", "ons_code", "source"],
    SUCCESSIONS_FILE: SUCCESSION_COLUMNS,
    SUCCESSIONS_2019_FILE: SUCCESSION_COLUMNS,
    ICBS_FILE: ["icb_ods", "icb_name", "ons_code", "nhs_region"],
    CCG_TO_ICB_FILE: ["ccg_ods", "ccg_name", "icb_ods", "note"],
    POC_FILE: ["name", "scope", "previously"],
}
# The seven NHS England regions of 2022, which ICBs carry (the 2015 regions stay as they were).
NHS_REGIONS_2022 = {
    "North East and Yorkshire",
    "North West",
    "Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
}


class ReferenceDataError(Exception):
    """The files have problems; `problems` lists each as 'file, line N: what'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary(self) -> str:
        kinds = ["region", "hub", "CCG", "ICB", "succession", "Programme of Care"]
        return "; ".join(
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged"
            for kind in kinds
        )


@dataclass
class _Rows:
    hubs: list[dict]
    footprints: list[dict]
    successions: list[dict]
    icbs: list[dict]
    ccg_to_icb: list[dict]
    programmes: list[dict]
    # Worked out while checking: each successor's and ICB's hub, and the note where the
    # organisations it took over came from more than one hub.
    hub_of: dict[str, str] = field(default_factory=dict)
    hub_note: dict[str, str] = field(default_factory=dict)
    # The 2013 CCGs (counted by hub) each organisation took in, directly or through mergers.
    constituents: dict[str, Counter] = field(default_factory=dict)
    area_teams: list[dict] = field(default_factory=list)
    systems: list[dict] = field(default_factory=list)


def _read(data_dir: Path, name: str, problems: list[str]) -> list[dict]:
    """Rows of one file as dicts with a `_line` number; header problems go to `problems`."""
    path = data_dir / name
    if not path.exists():
        problems.append(f"{name}: file not found in {data_dir}")
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS[name] if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(f"{name}, line 1: missing column(s) {', '.join(missing)}")
            return []
        rows = []
        for row in reader:
            if None in row or any(row.get(c) is None for c in COLUMNS[name]):
                problems.append(f"{name}, line {reader.line_num}: wrong number of fields")
                continue
            clean = {key: (value or "").strip() for key, value in row.items()}
            clean["_line"] = reader.line_num
            clean["_file"] = name
            rows.append(clean)
        return rows


def _date(value: str, where: str, problems: list[str]) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{where}: '{value}' is not a date (expected YYYY-MM-DD)")
        return None


def _ods_ok(code: str) -> bool:
    """ODS codes are three characters, or five for the nine CCGs of April 2021 that have them."""
    return len(code) in (3, 5) and code.isalnum()


def _majority_hub(constituents: Counter, label: str) -> tuple[str, str]:
    """The hub of most of the 2013 CCGs an organisation took in, and a note if they came from
    more than one hub (the register says so: README, "The register through time")."""
    ranked = sorted(constituents.items(), key=lambda item: (-item[1], item[0]))
    if not ranked:  # a predecessor was unknown: already reported as a problem
        return "", ""
    hub = ranked[0][0]
    if len(ranked) == 1:
        return hub, ""
    parts = " and ".join(f"{name} ({count})" for name, count in ranked)
    return hub, (
        f"{label} covers the 2013 CCGs of more than one hub: {parts}; "
        f"it is in the {hub} hub, which had most of them."
    )


def _check_successions(rows: _Rows, ods_seen: dict[str, int], problems: list[str]) -> None:
    """Mergers in date order: each predecessor must exist by then; a successor inherits the hub
    of most of the 2013 CCGs it took in."""
    constituents = rows.constituents
    constituents.update({r["ods_code"]: Counter([r["hub"]]) for r in rows.footprints})
    successor_names: dict[str, str] = {}
    rows.successions.sort(key=lambda r: r["effective_date"])
    for row in rows.successions:
        where = f"{row['_file']}, line {row['_line']}"
        pred, succ = row["predecessor_ods"].upper(), row["successor_ods"].upper()
        row["predecessor_ods"], row["successor_ods"] = pred, succ
        row["effective_date"] = _date(row["effective_date"], where, problems)
        if pred not in constituents:
            problems.append(f"{where}: unknown predecessor ODS code '{pred}'")
        if pred == succ:
            problems.append(f"{where}: a CCG cannot succeed itself ('{pred}')")
        if succ in ods_seen:
            problems.append(f"{where}: successor '{succ}' is already a 2015 footprint CCG")
        if not _ods_ok(succ):
            problems.append(f"{where}: ODS code '{succ}' must be 3 or 5 letters or digits")
        name = successor_names.setdefault(succ, row["successor_name"])
        if name != row["successor_name"]:
            problems.append(f"{where}: successor '{succ}' named differently on another line")
        constituents.setdefault(succ, Counter()).update(constituents.get(pred, Counter()))
    for succ, name in successor_names.items():
        rows.hub_of[succ], rows.hub_note[succ] = _majority_hub(constituents[succ], name)
    rows.hub_of.update({r["ods_code"]: r["hub"] for r in rows.footprints})


def _open_on_abolition(rows: _Rows) -> set[str]:
    """The CCGs the files leave open on 30 June 2022 (every CCG not merged away by then)."""
    merged = {
        r["predecessor_ods"]
        for r in rows.successions
        if r["effective_date"] and r["effective_date"] <= CCG_ABOLISHED
    }
    every = {r["ods_code"] for r in rows.footprints} | {
        r["successor_ods"] for r in rows.successions
    }
    return every - merged


def _check_icbs(rows: _Rows, problems: list[str]) -> None:
    """The 42 ICBs, and each CCG open on 30 June 2022 passing to exactly one of them."""
    icb_seen: dict[str, int] = {}
    for row in rows.icbs:
        where = f"{ICBS_FILE}, line {row['_line']}"
        code = row["icb_ods"] = row["icb_ods"].upper()
        if len(code) != 3 or not code.startswith("Q") or not code.isalnum():
            problems.append(f"{where}: ICB ODS code '{code}' must be a 3-character Q code")
        elif code in icb_seen:
            problems.append(f"{where}: duplicate ICB '{code}' (first on line {icb_seen[code]})")
        else:
            icb_seen[code] = row["_line"]
        if not row["icb_name"]:
            problems.append(f"{where}: icb_name is required")
        if row["nhs_region"] not in NHS_REGIONS_2022:
            problems.append(f"{where}: unknown 2022 NHS England region '{row['nhs_region']}'")
    open_then = _open_on_abolition(rows)
    constituents = rows.constituents
    taken: dict[str, Counter] = {}
    mapped: dict[str, int] = {}
    for row in rows.ccg_to_icb:
        where = f"{CCG_TO_ICB_FILE}, line {row['_line']}"
        ccg, icb = row["ccg_ods"].upper(), row["icb_ods"].upper()
        row["ccg_ods"], row["icb_ods"] = ccg, icb
        if ccg in mapped:
            problems.append(f"{where}: CCG '{ccg}' passes to more than one ICB")
        mapped[ccg] = row["_line"]
        if ccg not in open_then:
            problems.append(f"{where}: CCG '{ccg}' was not open on 30 June 2022")
        if icb not in icb_seen:
            problems.append(f"{where}: unknown ICB '{icb}' (not in {ICBS_FILE})")
        taken.setdefault(icb, Counter()).update(constituents.get(ccg, Counter()))
    missing = sorted(open_then - set(mapped))
    if missing and rows.ccg_to_icb:
        problems.append(
            f"{CCG_TO_ICB_FILE}: CCGs open on 30 June 2022 with no ICB: {', '.join(missing)}"
        )
    names = {r["icb_ods"]: r["icb_name"] for r in rows.icbs}
    for code in icb_seen:
        if code not in taken:
            problems.append(f"{ICBS_FILE}: ICB '{code}' takes over no CCG in {CCG_TO_ICB_FILE}")
        else:
            rows.hub_of[code], rows.hub_note[code] = _majority_hub(taken[code], names[code])


def _check(data_dir: Path) -> _Rows:
    """Read and validate all files; raise ReferenceDataError listing every problem found."""
    problems: list[str] = []
    rows = _Rows(
        hubs=_read(data_dir, HUBS_FILE, problems),
        footprints=_read(data_dir, FOOTPRINTS_FILE, problems),
        successions=_read(data_dir, SUCCESSIONS_FILE, problems)
        + _read(data_dir, SUCCESSIONS_2019_FILE, problems),
        icbs=_read(data_dir, ICBS_FILE, problems),
        ccg_to_icb=_read(data_dir, CCG_TO_ICB_FILE, problems),
        programmes=_read(data_dir, POC_FILE, problems),
    )

    hub_region: dict[str, str] = {}
    for row in rows.hubs:
        where = f"{HUBS_FILE}, line {row['_line']}"
        if not row["region"] or not row["hub"]:
            problems.append(f"{where}: region and hub are required")
        elif row["hub"] in hub_region:
            problems.append(f"{where}: duplicate hub '{row['hub']}'")
        else:
            hub_region[row["hub"]] = row["region"]
        row["valid_from"] = _date(row["valid_from"], where, problems)

    ods_seen: dict[str, int] = {}
    ons_seen: dict[str, int] = {}
    valid_sources = {s.value for s in CCG.Source if s != CCG.Source.SUCCESSION}
    for row in rows.footprints:
        where = f"{FOOTPRINTS_FILE}, line {row['_line']}"
        ods, ons = row["ods_code"].upper(), row["ons_code"].upper()
        row["ods_code"], row["ons_code"] = ods, ons
        if row["hub"] not in hub_region:
            problems.append(f"{where}: unknown hub '{row['hub']}' (not in {HUBS_FILE})")
        elif hub_region[row["hub"]] != row["region"]:
            problems.append(
                f"{where}: hub '{row['hub']}' is in region '{hub_region[row['hub']]}', "
                f"not '{row['region']}'"
            )
        if not row["ccg_name"]:
            problems.append(f"{where}: ccg_name is required")
        if len(ods) != 3 or not ods.isalnum():
            problems.append(f"{where}: ODS code '{ods}' must be 3 letters or digits")
        elif ods in ods_seen:
            problems.append(f"{where}: duplicate ODS code '{ods}' (first on line {ods_seen[ods]})")
        else:
            ods_seen[ods] = row["_line"]
        if ons and ons in ons_seen:
            problems.append(f"{where}: duplicate ONS code '{ons}' (first on line {ons_seen[ons]})")
        elif ons:
            ons_seen[ons] = row["_line"]
        if row["source"] not in valid_sources:
            problems.append(f"{where}: unknown source '{row['source']}'")

    _check_successions(rows, ods_seen, problems)
    _check_icbs(rows, problems)

    names_seen: set[str] = set()
    for row in rows.programmes:
        where = f"{POC_FILE}, line {row['_line']}"
        if not row["name"]:
            problems.append(f"{where}: name is required")
        elif row["name"] in names_seen:
            problems.append(f"{where}: duplicate Programme of Care '{row['name']}'")
        names_seen.add(row["name"])

    known = set(ods_seen) | {r["successor_ods"] for r in rows.successions}
    rows.area_teams = area_teams.check(data_dir, known, problems)
    known_now = known | {r["icb_ods"] for r in rows.icbs}
    rows.systems = systems_data.check(data_dir, known_now, set(hub_region), problems)
    if problems:
        raise ReferenceDataError(problems)
    return rows


def _upsert(model, report: LoadReport, kind: str, lookup: dict, values: dict):
    """Create the row, or update only the fields that differ (so history shows real changes)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.created[kind] += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.updated[kind] += 1
    else:
        report.unchanged[kind] += 1
    return obj


@transaction.atomic
def reference_data_load(*, data_dir: Path = DATA_DIR, by=None) -> LoadReport:
    """Load (or re-load) the register from `data_dir`; on ReferenceDataError nothing is written."""
    rows = _check(data_dir)
    report = LoadReport()

    regions: dict[str, Region] = {}
    hubs: dict[str, Hub] = {}
    for row in rows.hubs:
        name = row["region"]
        if name not in regions:
            regions[name] = _upsert(
                Region,
                report,
                "region",
                {"name": name},
                {"slug": slugify(name), "valid_from": row["valid_from"]},
            )
        hubs[row["hub"]] = _upsert(
            Hub,
            report,
            "hub",
            {"name": row["hub"]},
            {"slug": slugify(row["hub"]), "region": regions[name], "valid_from": row["valid_from"]},
        )

    ended_on: dict[str, datetime.date] = {}
    for row in rows.successions:
        ended_on[row["predecessor_ods"]] = row["effective_date"] - datetime.timedelta(days=1)
    for row in rows.ccg_to_icb:
        ended_on[row["ccg_ods"]] = CCG_ABOLISHED

    ccgs: dict[str, CCG] = {}
    for row in rows.footprints:
        ods = row["ods_code"]
        ccgs[ods] = _upsert(
            CCG,
            report,
            "CCG",
            {"ods_code": ods},
            {
                "name": row["ccg_name"],
                "ons_code": row["ons_code"] or None,
                "hub": hubs[row["hub"]],
                "source": row["source"],
                "valid_from": CCG_ESTABLISHED,
                "valid_to": ended_on.get(ods),
            },
        )

    for row in rows.successions:
        succ = row["successor_ods"]
        if succ not in ccgs:
            ccgs[succ] = _upsert(
                CCG,
                report,
                "CCG",
                {"ods_code": succ},
                {
                    "name": row["successor_name"],
                    "hub": hubs[rows.hub_of[succ]],
                    "hub_note": rows.hub_note[succ],
                    "source": CCG.Source.SUCCESSION,
                    "valid_from": row["effective_date"],
                    "valid_to": ended_on.get(succ),
                },
            )
        _upsert(
            CCGSuccession,
            report,
            "succession",
            {"predecessor": ccgs[row["predecessor_ods"]], "successor": ccgs[succ]},
            {"effective_date": row["effective_date"]},
        )

    for row in rows.icbs:
        code = row["icb_ods"]
        ccgs[code] = _upsert(
            CCG,
            report,
            "ICB",
            {"ods_code": code},
            {
                "name": row["icb_name"],
                "kind": CCG.Kind.ICB,
                "ons_code": row["ons_code"] or None,
                "hub": hubs[rows.hub_of[code]],
                "hub_note": rows.hub_note[code],
                "nhs_region": row["nhs_region"],
                "source": CCG.Source.ICB_2022,
                "valid_from": ICB_ESTABLISHED,
                "valid_to": None,
            },
        )
    for row in rows.ccg_to_icb:
        _upsert(
            CCGSuccession,
            report,
            "succession",
            {"predecessor": ccgs[row["ccg_ods"]], "successor": ccgs[row["icb_ods"]]},
            {"effective_date": ICB_ESTABLISHED, "note": row["note"]},
        )

    for row in rows.programmes:
        _upsert(
            ProgrammeOfCare,
            report,
            "Programme of Care",
            {"name": row["name"]},
            {"slug": slugify(row["name"]), "scope": row["scope"], "previously": row["previously"]},
        )

    area_teams.load(rows.area_teams, _upsert, report)
    systems_data.load(rows.systems, _upsert, report)

    if report.changed:
        audit.record(
            actor=by,
            verb=events.REFERENCE_DATA_LOADED,
            target=None,
            target_label="organisation register",
            summary=report.summary(),
        )
    return report
