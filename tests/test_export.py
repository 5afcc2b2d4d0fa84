"""cattool export: what consent and confidentiality allow, and never a sensitive value.

The repository holds variants of the model case, one per reason to leave a case out, and a canary
case whose every sensitive field (and every place written as text) holds a marker that no export
may contain.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cases_builder import CANARY_DATE, dump, load_model
from typer.testing import CliRunner

from cattool.cli import app

runner = CliRunner()
CONFIG = 'cattool:\n  schema_version: "1.1"\norganisations: [vof]\n'

# What every export must leave out: the canary case's sensitive values and places as text.
FORBIDDEN = ("CANARY", CANARY_DATE, "1901", "Fictionov", "+996 555")
PLACES = ("PLACE-NAME-MARK", "SETTLEMENT-MARK", "Sokuluk district police department")
# Allowed in the coalition export only (the sanitised texts and labels).
PUBLIC_TEXTS = ("LABEL-MARK", "SUMMARY-MARK", "NARRATIVE-PUBLIC-MARK", "DISTRICT-MARK")

LEFT_OUT = {
    "without consent to anonymised statistics": 2,
    "with consent withdrawn": 1,
    "restricted to the documenting organisation": 1,
    "case files with errors (cattool validate)": 1,
}
PUBLIC_NOTE = (
    "4 cases exported (public, one row per case); left out: 1 case files with errors (cattool "
    "validate); 1 restricted to the documenting organisation; 1 with consent withdrawn; "
    "2 without consent to anonymised statistics"
)


def variant(
    model: dict[str, Any], case_id: str, change: Callable[[Any], None] | None = None
) -> str:
    case = copy.deepcopy(model)
    case["case_id"] = case_id
    if change:
        change(case)
    return dump(case)


def no_statistics(case: dict[str, Any]) -> None:
    case["consent"][0]["scopes"] = ["domestic_complaint", "un_special_procedures"]


def withdrawn(case: dict[str, Any]) -> None:
    case["consent"][0]["withdrawn_on"] = "2016-05-01"


def restricted(case: dict[str, Any]) -> None:
    case["confidentiality"] = "restricted"


def public(case: dict[str, Any]) -> None:
    case["confidentiality"] = "public"


def second_victim(case: dict[str, Any], scopes: list[str]) -> None:
    victim = copy.deepcopy(case["victims"][0])
    victim.update(victim_id="v2", full_name="Second Fictionov", public_label="S.F.", sex="female")
    case["victims"].append(victim)
    case["incidents"][0]["victim_ids"] = ["v1", "v2"]
    consent = copy.deepcopy(case["consent"][0])
    consent.update(person_id="v2", scopes=scopes)
    case["consent"].append(consent)


def canary(case: dict[str, Any]) -> None:
    """Every sensitive field, and every place written as text, holds a marker."""
    case["source_contact"] = "CANARY-source-contact"
    case["notes"] = "CANARY-notes"
    case["district"] = "DISTRICT-MARK"
    case["summary_public"] = "SUMMARY-MARK"
    victim = case["victims"][0]
    victim.update(
        full_name="CANARY-full-name",
        public_label="LABEL-MARK",
        date_of_birth=CANARY_DATE,
        age_group="unknown",
        contacts={"phone": "CANARY-phone", "address": "CANARY-address"},
        current_location="CANARY-location",
        representative={
            "type": "lawyer",
            "name": "CANARY-representative",
            "authorization_file": "CANARY-authorization.pdf",
        },
    )
    incident = case["incidents"][0]
    incident.update(
        narrative="CANARY-narrative",
        narrative_public="NARRATIVE-PUBLIC-MARK",
        place_name="PLACE-NAME-MARK",
        settlement="SETTLEMENT-MARK",
        witnesses=[{"name": "CANARY-witness", "contact": "CANARY-witness-contact", "role": "x"}],
    )
    case["perpetrators"][0]["name"] = "CANARY-perpetrator"
    case["medical_evidence"][0]["files"] = ["CANARY-photo.jpg"]
    for n, event in enumerate(case["legal_actions"]):
        event["outcome_note"] = f"CANARY-outcome-{n}"
    case["consent"][0]["given_by"] = {"role": "relative", "name": "CANARY-given-by"}


@pytest.fixture
def repo(make_repo: Callable[..., Path], model_case_text: str) -> Path:
    model = load_model(model_case_text)
    cases = {
        "KG-2016-0001": variant(model, "KG-2016-0001"),  # coalition, consents: in both
        "KG-2016-0002": variant(model, "KG-2016-0002", no_statistics),
        "KG-2016-0003": variant(model, "KG-2016-0003", withdrawn),
        "KG-2016-0004": variant(model, "KG-2016-0004", restricted),
        "KG-2016-0005": variant(model, "KG-2016-0005", public),
        "KG-2016-0006": variant(
            model, "KG-2016-0006", lambda c: second_victim(c, ["domestic_complaint"])
        ),
        "KG-2016-0007": variant(
            model, "KG-2016-0007", lambda c: second_victim(c, ["anonymised_statistics"])
        ),
        "KG-2016-0008": variant(model, "KG-2016-0008", canary),
    }
    files: dict[str, str | bytes] = {"cattool.yaml": CONFIG}
    files.update({f"cases/KG/{k}.yaml": text for k, text in cases.items()})
    files["cases/KG/KG-2016-0009.yaml"] = "case_id: KG-2016-0009\n"  # invalid
    root = make_repo(files)
    checked = runner.invoke(app, ["validate", "--repo", str(root)])
    assert checked.exit_code == 1, checked.output
    assert "KG-2016-0009.yaml" in checked.stdout
    assert not re.search(r"KG-2016-000[1-8]\.yaml", checked.stdout), checked.stdout
    return root


def export(repo: Path, *args: str) -> Any:
    return runner.invoke(app, ["export", *args, "--repo", str(repo)])


def rows(result: Any) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    if result.stdout.lstrip().startswith("{"):
        return list(json.loads(result.stdout)["rows"])
    return list(csv.DictReader(io.StringIO(result.stdout)))


def ids(found: list[dict[str, Any]]) -> list[str]:
    return [str(r["case_id"]) for r in found]


# --- what is kept, what is left out ---------------------------------------------------------------


def test_public_keeps_only_cases_every_victim_consented_to_statistics(repo: Path) -> None:
    result = export(repo, "--public")
    assert ids(rows(result)) == ["KG-2016-0001", "KG-2016-0005", "KG-2016-0007", "KG-2016-0008"]
    assert result.stderr.strip() == PUBLIC_NOTE

    as_json = export(repo, "--public", "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    body = json.loads(as_json.stdout)
    assert body["left_out"] == LEFT_OUT
    assert body["note"] == PUBLIC_NOTE
    assert ids(body["rows"]) == ids(rows(result))
    assert as_json.stderr.strip() == PUBLIC_NOTE


def test_public_dates_are_months(repo: Path) -> None:
    for args in (["--format", "json"], ["--per", "victim", "--format", "json"], []):
        found = rows(export(repo, "--public", *args))
        assert found
        for row in found:
            assert row["intake"] == "2016-03"
            assert row["incident"] == "2016-03"
            for column, value in row.items():
                assert not re.search(r"\d{4}-\d{2}-\d{2}", str(value)), (column, value)


@pytest.mark.parametrize(
    "args",
    [
        ["--public"],
        ["--public", "--format", "json"],
        ["--public", "--per", "victim"],
        ["--public", "--per", "victim", "--format", "json"],
        ["--coalition"],
        ["--coalition", "--format", "json"],
        ["--coalition", "--per", "victim"],
        ["--coalition", "--per", "victim", "--format", "json"],
    ],
)
def test_no_sensitive_value_and_no_place_written_as_text(repo: Path, args: list[str]) -> None:
    result = export(repo, *args)
    found = rows(result)
    assert "KG-2016-0008" in ids(found)  # the canary case is exported, as coded values
    for text in (result.stdout, result.stderr):
        assert [w for w in FORBIDDEN + PLACES if w in text] == []
    columns = set(found[0])
    assert not columns & {
        "full_name",
        "date_of_birth",
        "contacts",
        "narrative",
        "place_name",
        "settlement",
        "notes",
        "source_contact",
        "perpetrators",
        "name",
    }
    if "--public" in args:
        assert [w for w in PUBLIC_TEXTS if w in result.stdout] == []
        assert not columns & {"summary_public", "narrative_public", "public_labels", "victim"}


def test_per_victim_gives_one_row_per_victim(repo: Path) -> None:
    found = rows(export(repo, "--public", "--per", "victim", "--format", "json"))
    assert ids(found) == [
        "KG-2016-0001",
        "KG-2016-0005",
        "KG-2016-0007",
        "KG-2016-0007",
        "KG-2016-0008",
    ]
    assert [r["sex"] for r in found if r["case_id"] == "KG-2016-0007"] == ["male", "female"]
    assert all("victim" not in r for r in found)
    assert all(r["status_at_incident"] == "suspect" for r in found)

    partners = rows(export(repo, "--coalition", "--per", "victim", "--format", "json"))
    labels = {(r["case_id"], r["victim"]) for r in partners}
    assert ("KG-2016-0006", "S.F.") in labels
    assert ("KG-2016-0008", "LABEL-MARK") in labels
    # 0001 0002 0005 0008 (one each), 0006 and 0007 (two each); 0003's consent is withdrawn
    assert len(partners) == 8


def test_coalition_keeps_what_confidentiality_allows_with_exact_dates(repo: Path) -> None:
    result = export(repo, "--coalition")
    found = rows(result)
    # a withdrawn consent means the case is no longer acted on, and sharing is acting on it
    assert ids(found) == [
        "KG-2016-0001",
        "KG-2016-0002",
        "KG-2016-0005",
        "KG-2016-0006",
        "KG-2016-0007",
        "KG-2016-0008",
    ]
    first = found[0]
    assert (first["intake"], first["incident"]) == ("2016-03-14", "2016-03-10")
    assert first["public_labels"] == "T.F."
    canary_row = found[-1]
    assert canary_row["public_labels"] == "LABEL-MARK"
    assert canary_row["summary_public"] == "SUMMARY-MARK"
    assert canary_row["narrative_public"] == "NARRATIVE-PUBLIC-MARK"
    assert result.stderr.strip() == (
        "6 cases exported (coalition, one row per case); left out: 1 case files with errors "
        "(cattool validate); 1 restricted to the documenting organisation; 1 with consent "
        "withdrawn"
    )
    body = json.loads(export(repo, "--coalition", "--format", "json").stdout)
    assert body["left_out"] == {
        "restricted to the documenting organisation": 1,
        "case files with errors (cattool validate)": 1,
        "with consent withdrawn": 1,
    }


# --- files and options ----------------------------------------------------------------------------


def test_csv_file_starts_with_a_bom_parses_back_and_is_never_replaced(
    repo: Path, tmp_path: Path
) -> None:
    target = tmp_path / "exports" / "public.csv"
    target.parent.mkdir()  # an output never makes a missing folder on the way
    result = export(repo, "--public", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {target}"
    assert result.stderr.strip() == PUBLIC_NOTE
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert parsed == rows(export(repo, "--public"))
    assert parsed[0]["case_id"] == "KG-2016-0001"  # no BOM glued to the first column name

    again = export(repo, "--public", "-o", str(target))
    assert again.exit_code == 4, again.output
    assert "--force" in again.stderr
    assert target.read_bytes() == raw
    forced = export(repo, "--coalition", "-o", str(target), "--force")
    assert forced.exit_code == 0, forced.output
    assert target.read_bytes() != raw

    as_json = tmp_path / "exports" / "public.json"
    assert export(repo, "--public", "--format", "json", "-o", str(as_json)).exit_code == 0
    assert json.loads(as_json.read_text(encoding="utf-8"))["left_out"] == LEFT_OUT


@pytest.mark.parametrize("inside", ["cases/public.csv", "cases/KG/public.csv", "cases/x/y.csv"])
def test_an_export_never_goes_inside_cases(repo: Path, inside: str) -> None:
    before = sorted(p.relative_to(repo) for p in (repo / "cases").rglob("*"))
    result = export(repo, "--public", "-o", str(repo / inside))
    assert result.exit_code == 2, result.output
    assert "cases/" in result.stderr
    assert sorted(p.relative_to(repo) for p in (repo / "cases").rglob("*")) == before


@pytest.mark.parametrize("args", [[], ["--public", "--coalition"]])
def test_choose_exactly_one_level(repo: Path, args: list[str]) -> None:
    result = export(repo, *args)
    assert result.exit_code == 2, result.output
    assert "--public or --coalition" in result.stderr
    assert result.stdout == ""
