"""Loading the organisation register from the project's reference CSV files.

`reference_data_load` reads and checks every file first; any problem stops the load with
messages naming the file, line and problem, and nothing is written. A clean load runs in one
transaction and is idempotent: unchanged rows are left alone, changed rows are updated (and
keep their history), rows no longer in the files are never deleted.
"""

import csv
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from commissioning import audit

from . import events
from .models import CCG, CCGSuccession, Hub, ProgrammeOfCare, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
# Clinical Commissioning Groups were established on 1 April 2013.
CCG_ESTABLISHED = datetime.date(2013, 4, 1)

HUBS_FILE = "hubs.csv"
FOOTPRINTS_FILE = "hub_footprints.csv"
SUCCESSIONS_FILE = "ccg_successions.csv"
POC_FILE = "programmes_of_care.csv"

COLUMNS = {
    HUBS_FILE: ["region", "hub", "valid_from"],
    FOOTPRINTS_FILE: ["region", "hub", "ccg_name", "ods_code", "ons_code", "source"],
    SUCCESSIONS_FILE: ["predecessor_ods", "successor_ods", "successor_name", "effective_date"],
    POC_FILE: ["name", "scope", "previously"],
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
        kinds = ["region", "hub", "CCG", "succession", "Programme of Care"]
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
    programmes: list[dict]


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
            rows.append(clean)
        return rows


def _date(value: str, where: str, problems: list[str]) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{where}: '{value}' is not a date (expected YYYY-MM-DD)")
        return None


def _check(data_dir: Path) -> _Rows:
    """Read and validate all files; raise ReferenceDataError listing every problem found."""
    problems: list[str] = []
    rows = _Rows(
        hubs=_read(data_dir, HUBS_FILE, problems),
        footprints=_read(data_dir, FOOTPRINTS_FILE, problems),
        successions=_read(data_dir, SUCCESSIONS_FILE, problems),
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

    hub_of = {row["ods_code"]: row["hub"] for row in rows.footprints}
    successor_hubs: dict[str, set[str]] = defaultdict(set)
    successor_names: dict[str, str] = {}
    for row in rows.successions:
        where = f"{SUCCESSIONS_FILE}, line {row['_line']}"
        pred, succ = row["predecessor_ods"].upper(), row["successor_ods"].upper()
        row["predecessor_ods"], row["successor_ods"] = pred, succ
        row["effective_date"] = _date(row["effective_date"], where, problems)
        if pred not in hub_of:
            problems.append(f"{where}: unknown predecessor ODS code '{pred}'")
        else:
            successor_hubs[succ].add(hub_of[pred])
        if pred == succ:
            problems.append(f"{where}: a CCG cannot succeed itself ('{pred}')")
        if succ in ods_seen:
            problems.append(f"{where}: successor '{succ}' is already a 2015 footprint CCG")
        if len(succ) != 3 or not succ.isalnum():
            problems.append(f"{where}: ODS code '{succ}' must be 3 letters or digits")
        name = successor_names.setdefault(succ, row["successor_name"])
        if name != row["successor_name"]:
            problems.append(f"{where}: successor '{succ}' named differently on another line")
    for succ, hubs in successor_hubs.items():
        if len(hubs) > 1:
            problems.append(
                f"{SUCCESSIONS_FILE}: successor '{succ}' merges CCGs from different hubs "
                f"({', '.join(sorted(hubs))})"
            )

    names_seen: set[str] = set()
    for row in rows.programmes:
        where = f"{POC_FILE}, line {row['_line']}"
        if not row["name"]:
            problems.append(f"{where}: name is required")
        elif row["name"] in names_seen:
            problems.append(f"{where}: duplicate Programme of Care '{row['name']}'")
        names_seen.add(row["name"])

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
                    "hub": ccgs[row["predecessor_ods"]].hub,
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

    for row in rows.programmes:
        _upsert(
            ProgrammeOfCare,
            report,
            "Programme of Care",
            {"name": row["name"]},
            {"slug": slugify(row["name"]), "scope": row["scope"], "previously": row["previously"]},
        )

    if report.changed:
        audit.record(
            actor=by,
            verb=events.REFERENCE_DATA_LOADED,
            target=None,
            target_label="organisation register",
            summary=report.summary(),
        )
    return report
