"""Check a generated repository: valid files must pass, files in the manifest must fail.

An independent reference check for bench/generate.py (it shares no code with it): the JSON Schema
with format checks, dates kept as text, then the semantic rules `cattool validate` enforces.

    python bench/verify_generated.py OUT [--limit 200]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = ROOT / "schemas"
TODAY = date.today()
UN_SCOPE = {
    "sr_torture": "un_special_procedures",
    "special_procedure_other": "un_special_procedures",
    "wgad": "un_special_procedures",
    "ccpr": "un_treaty_body",
    "cat": "un_treaty_body",
}
ID_KEYS = {
    "victims": "victim_id",
    "incidents": "incident_id",
    "perpetrators": "perpetrator_id",
    "medical_evidence": "evidence_id",
    "legal_actions": "event_id",
    "un_communications": "comm_id",
}


class TextDateLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that keeps dates as text and refuses duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(node.value)  # "format: date" is checked on strings only


TextDateLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def load_country(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text("utf-8"))  # type: ignore[no-any-return]


def _in_force(force: dict[str, Any] | None, on: date) -> bool:
    force = force or {}
    start, end = force.get("from"), force.get("to")
    return (start is None or start <= on) and (end is None or on <= end)


def semantic_problems(case: dict[str, Any], countries: dict[str, dict[str, Any]]) -> list[str]:
    """Problems with the rules the schema cannot express."""
    problems: list[str] = []
    ids: dict[str, list[str]] = {}
    for section, key in ID_KEYS.items():
        ids[section] = [item.get(key) for item in case.get(section, [])]
        for dup in [k for k, c in Counter(ids[section]).items() if c > 1]:
            problems.append(f"{section}: duplicate {key} {dup}")
    victims = set(ids["victims"])
    incidents = {inc["incident_id"]: inc for inc in case.get("incidents", [])}

    def refs(where: str, values: list[str], known: set[str]) -> None:
        for value in values:
            if value not in known:
                problems.append(f"{where}: {value!r} does not resolve")

    for n, inc in enumerate(case.get("incidents", [])):
        refs(f"incidents[{n}].victim_ids", inc.get("victim_ids", []), victims)
    for n, per in enumerate(case.get("perpetrators", [])):
        refs(f"perpetrators[{n}].incident_ids", per.get("incident_ids", []), set(incidents))
    for n, med in enumerate(case.get("medical_evidence", [])):
        refs(f"medical_evidence[{n}].victim_id", [med.get("victim_id")], victims)
    for n, con in enumerate(case.get("consent", [])):
        refs(f"consent[{n}].person_id", [con.get("person_id")], victims)
    for n, com in enumerate(case.get("un_communications", [])):
        refs(f"un_communications[{n}].victim_ids", com.get("victim_ids", []), victims)

    intake = _day(case.get("intake_date"))
    cc = case.get("country")
    if intake is None or cc not in countries:
        return [*problems, "cannot check dates: intake_date or country unusable"]
    if str(case.get("case_id", ""))[3:7] != str(intake.year):
        problems.append("case_id year differs from the intake year")
    country = countries[cc]
    regions = set(country["regions"])
    if case.get("region") not in regions:
        problems.append(f"region {case.get('region')!r} unknown")

    first_incident: dict[str, date] = {}
    starts = []
    for n, inc in enumerate(case.get("incidents", [])):
        start, end = _day(inc["date_start"]), _day(inc.get("date_end", inc["date_start"]))
        if start is None or end is None:
            continue
        starts.append(start)
        if end < start:
            problems.append(f"incidents[{n}]: date_end before date_start")
        if end > intake:
            problems.append(f"incidents[{n}]: after the intake")
        if inc.get("region") not in regions:
            problems.append(f"incidents[{n}].region unknown")
        for vid in inc.get("victim_ids", []):
            first_incident[vid] = min(first_incident.get(vid, start), start)

    consents: dict[str, list[dict[str, Any]]] = {}
    for n, con in enumerate(case.get("consent", [])):
        consents.setdefault(con.get("person_id"), []).append(con)
        given = _day(con.get("given_on"))
        if given is None or given > TODAY:
            problems.append(f"consent[{n}].given_on unusable or in the future")
        if con.get("name_in_public_reports") == "full" and "named_publication" not in con.get(
            "scopes", []
        ):
            problems.append(f"consent[{n}]: full name without named_publication")

    for n, vic in enumerate(case.get("victims", [])):
        vid = vic["victim_id"]
        on = first_incident.get(vid)
        age = vic.get("age_at_incident")
        born = _day(vic.get("date_of_birth")) if "date_of_birth" in vic else None
        if born and on:
            if born >= on:
                problems.append(f"victims[{n}]: born after the incident")
            age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        if age is not None and (age < 18) != (vic["age_group"] == "child"):
            problems.append(f"victims[{n}]: age_group {vic['age_group']} but aged {age}")
        if vic["age_group"] == "child" and not any(
            c.get("form") == "guardian" and c.get("given_by") for c in consents.get(vid, [])
        ):
            problems.append(f"victims[{n}]: child without guardian consent")

    last = intake
    for n, ev in enumerate(case.get("legal_actions", [])):
        day = _day(ev["date"])
        if day is None:
            continue
        if day < last or day > TODAY:
            problems.append(f"legal_actions[{n}]: date out of order")
        last = day
        if "responds_to" in ev and ev["responds_to"] not in ids["legal_actions"][:n]:
            problems.append(f"legal_actions[{n}].responds_to: no earlier event")
        region = (ev.get("authority") or {}).get("region")
        if region is not None and region not in regions:
            problems.append(f"legal_actions[{n}].authority.region unknown")
        qual = ev.get("qualification")
        if qual and starts:
            on = min(starts)
            editions = {ed["code"]: ed for ed in country.get("criminal_codes", [])}
            edition = editions.get(qual["code"])
            if edition is None or not _in_force(edition.get("in_force"), on):
                problems.append(f"legal_actions[{n}]: {qual['code']} not in force on {on}")
            else:
                arts = {str(a["article"]): a for a in edition.get("articles", [])}
                art = arts.get(str(qual["article"]))
                if art is None or not _in_force(art.get("in_force"), on):
                    problems.append(f"legal_actions[{n}]: article {qual['article']} not in force")

    for n, com in enumerate(case.get("un_communications", [])):
        submitted = _day(com["submitted_on"])
        if com["body"] == "cat" and cc != "KZ":
            problems.append(f"un_communications[{n}]: cat body for {cc}")
        if submitted is None:
            continue
        if submitted < intake or submitted > TODAY:
            problems.append(f"un_communications[{n}]: submitted_on out of range")
        scope = UN_SCOPE[com["body"]]
        for vid in com.get("victim_ids") or list(victims):
            if not any(
                scope in c.get("scopes", []) and (_day(c.get("given_on")) or TODAY) <= submitted
                for c in consents.get(vid, [])
            ):
                problems.append(f"un_communications[{n}]: no {scope} consent for {vid}")
    return problems


def check_repo(root: Path, limit: int | None = None) -> tuple[int, list[str], dict[str, list[str]]]:
    """Return (files checked, mismatches with the manifest, problems found per file)."""
    schema = json.loads((SCHEMAS_DIR / "case.schema.json").read_text("utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    countries = {
        p.stem: load_country(p) for p in sorted((SCHEMAS_DIR / "countries").glob("*.yaml"))
    }
    manifest: dict[str, str] = json.loads((root / "bench_manifest.json").read_text("utf-8"))
    files = sorted(p for p in (root / "cases").rglob("*") if p.suffix in (".yaml", ".yml"))
    if limit is not None:
        chosen = set(files[:limit]) | {root / name for name in manifest}
        chosen |= {p.with_suffix(".yaml") for p in chosen if p.suffix == ".yml"}
        files = [f for f in files if f in chosen]
    owners: dict[str, list[str]] = {}
    found: dict[str, list[str]] = {}
    for path in files:
        rel = path.relative_to(root).as_posix()
        problems = found.setdefault(rel, [])
        try:
            case = yaml.load(path.read_text("utf-8"), Loader=TextDateLoader)
        except yaml.YAMLError as err:
            problems.append(f"YAML: {str(err).splitlines()[0]}")
            continue
        problems.extend(
            f"schema: {'/'.join(map(str, e.absolute_path))}: {e.validator}"
            for e in validator.iter_errors(case)
        )
        if path.stem != case.get("case_id"):
            problems.append("file name differs from case_id")
        owners.setdefault(str(case.get("case_id")), []).append(rel)
        if not problems:
            problems.extend(semantic_problems(case, countries))
    for case_id, rels in owners.items():
        if len(rels) > 1:
            for rel in rels:
                found[rel].append(f"case_id {case_id} used by {len(rels)} files")
    mismatches = []
    for rel, problems in found.items():
        expected = manifest.get(rel)
        if expected and not problems:
            mismatches.append(f"{rel}: expected a problem ({expected}), found none")
        elif not expected and problems and not any("used by" in p for p in problems):
            mismatches.append(f"{rel}: expected valid, found {problems}")
    return len(files), mismatches, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="repository written by bench/generate.py")
    parser.add_argument("--limit", type=int, help="check the first N files (and every broken one)")
    parser.add_argument("--show", action="store_true", help="print what each broken file fails")
    args = parser.parse_args(argv)
    checked, mismatches, found = check_repo(args.root, args.limit)
    if args.show:
        for rel, problems in found.items():
            if problems:
                print(f"{rel}: {problems}")
    for line in mismatches:
        print(line)
    print(f"{checked} files checked, {len(mismatches)} unexpected results")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
