"""UN submissions: the Special Rapporteur on Torture, the Human Rights Committee, the CAT; un-check.

Every document here is made through the CLI from the model case (cases/KG/KG-2016-0001.yaml),
changed line by line for each situation, in a case repository in tmp_path whose cattool.yaml holds
the demo 'vof' and 'kibhr' organisations. The Word files are reopened with python-docx and read as
a UN desk officer would: the sections in order, the remedies table, the articles invoked, and,
under partial consent, no trace of the victim's full name anywhere.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from demo_settings import VOF_SETTINGS
from docx.text.paragraph import Paragraph
from typer.testing import CliRunner

from cattool.cli import app

runner = CliRunner()
PROJECT = Path(__file__).resolve().parent.parent
MODEL_CASE = PROJECT / "cases" / "KG" / "KG-2016-0001.yaml"
KG_CASE = "cases/KG/KG-2016-0001.yaml"
KZ_CASE = "cases/KZ/KZ-2016-0001.yaml"
KG_ID, KZ_ID = "KG-2016-0001", "KZ-2016-0001"
KG_OUT, KZ_OUT = f"out/{KG_ID}", f"out/{KZ_ID}"

# The demo 'vof' (Kyrgyzstan) and 'kibhr' (Kazakhstan) organisations of cattool.yaml, all invented.
CONFIG = (
    VOF_SETTINGS + "  kibhr:\n"
    "    name: {ru: Казахстанское международное бюро по правам человека и соблюдению законности, "
    "en: Kazakhstan International Bureau for Human Rights and the Rule of Law}\n"
    "    city: {ru: г. Алматы, en: Almaty}\n"
    '    address: {ru: "050000, г. Алматы, ул. Вымышленная, 6 (демо)", '
    'en: "6 Fictional Street, Almaty 050000 (demo)"}\n'
    "    signatory:\n"
    "      name: {ru: Л. М. Шаблонова, en: L. M. Shablonova}\n"
    "      position: {ru: Юрист, en: Lawyer}\n"
)

FULL_NAME = "Timur Bakirovich Fictionov"
PERPETRATOR = "Kanat Perpetratorov"  # invented; added to the model case for the consent tests
BORN = "1994-07-02"
FULL_NARRATIVE = "Fictional account."  # opens the full narrative, never the sanitised one
PUBLIC_NARRATIVE = "The victim says he was held for about eleven hours before his detention"
# What may never appear in a document whose victim is named by initials only.
NEVER_UNDER_INITIALS = (
    FULL_NAME,
    "Fictionov",
    "Timur",
    BORN,
    PERPETRATOR,
    "Perpetratorov",
    FULL_NARRATIVE,
    "+996 555 000 222",
    "+996 555 000 111",
    "Fictional street 1, Sokuluk",
)
SCOPES_LINE = "scopes: [domestic_complaint, anonymised_statistics, un_special_procedures]"
TREATY_SCOPES = "domestic_complaint, anonymised_statistics, un_special_procedures, un_treaty_body"
SR_SECTIONS = [
    "I. The victim",
    "II. The circumstances",
    "III. Domestic remedies pursued",
    "IV. The submitting organisation",
    "V. Consent",
]
COMPLAINT_SECTIONS = [
    "I. Author and victim",
    "II. State party and articles violated",
    "III. Exhaustion of domestic remedies",
    "IV. Other international procedures",
    "V. Facts",
    "VI. Requests",
    "VII. Annexes (checklist)",
]
NOT_ELSEWHERE = (
    "The same matter has not been submitted to another procedure of international "
    "investigation or settlement."
)
INTERIM = "REQUEST FOR INTERIM MEASURES"
DETAINED_REASON = (
    "Timur Bakirovich Fictionov is held now (pretrial detention) by the agency of alleged "
    "perpetrators who remain in post"
)
ICCPR = {
    "2.3": "article 2 (3) of the Covenant (effective remedy)",
    "7": "article 7 of the Covenant (torture)",
    "9": "article 9 of the Covenant (liberty)",
    "10": "article 10 of the Covenant (humane treatment in detention)",
    "14.3g": "article 14 (3) (g) of the Covenant (forced confession)",
}
CAT = {
    "1": "article 1 of the Convention (definition)",
    "2": "article 2 of the Convention (prevention)",
    "12": "article 12 of the Convention (prompt investigation)",
    "13": "article 13 of the Convention (right to complain)",
    "14": "article 14 of the Convention (redress)",
    "15": "article 15 of the Convention (exclusion of evidence)",
}


# --- the cases: the model case changed line by line ----------------------------------------------


def model() -> str:
    return MODEL_CASE.read_text(encoding="utf-8")


def edit(text: str, old: str, new: str) -> str:
    """Replace ``old`` (which must occur exactly once, so a changed model case fails loudly)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the case"
    return text.replace(old, new)


def cut(text: str, start: str, end: str) -> str:
    """Remove from ``start`` up to (not including) ``end``."""
    i, j = text.index(start), text.index(end)
    assert i < j
    return text[:i] + text[j:]


def with_scopes(text: str, scopes: str = TREATY_SCOPES) -> str:
    return edit(text, SCOPES_LINE, f"scopes: [{scopes}]")


def detained(text: str) -> str:
    """The victim is in pre-trial detention; the police officer (p1) is still in post."""
    return edit(text, "current_status: free", "current_status: pretrial_detention")


def initials_only(text: str) -> str:
    """Consent: the name may not go to the government, public reports may show initials.

    The perpetrator is named, and the full narrative names the victim, his date of birth and the
    perpetrator: none of it may reach the document.
    """
    text = edit(text, "    name_to_government: true\n", "    name_to_government: false\n")
    text = edit(
        text,
        "    identification: described\n",
        f"    identification: named\n    name: {PERPETRATOR}\n",
    )
    return edit(
        text,
        "T.F. says two officers kept him",
        f"{FULL_NAME}, born {BORN}, says {PERPETRATOR} and another officer kept him",
    )


def decided(text: str) -> str:
    """The model case with its appeal (e4) rejected on 28 April 2016: remedies exhausted."""
    return add_events(text, APPEAL_DECIDED.format(day="2016-04-28"))


def add_events(text: str, block: str) -> str:
    """Add legal_actions items after the last one of the model case (e4)."""
    return edit(text, "    responds_to: e3\n", "    responds_to: e3\n" + block)


APPEAL_DECIDED = """\
  - event_id: e5
    date: {day}
    type: appeal_decided
    authority: {{name: Almaty city procuracy, level: regional}}
    direction: incoming
    their_ref: "2-11/77"
    responds_to: e4
"""


def reprisal(day: str) -> str:
    return f"  - event_id: e9\n    date: {day}\n    type: reprisal\n    direction: internal\n"


def add_communications(text: str, block: str) -> str:
    assert "un_communications:" not in text
    return text.rstrip("\n") + "\n\nun_communications:\n" + block


def without_timeline(text: str) -> str:
    return cut(text, "# --- Timeline", "# --- Consent")


def without_appeal(text: str) -> str:
    return cut(text, "  - event_id: e4\n", "\n# --- Consent")


def kazakh(text: str, *, final_day: str = "2016-05-20") -> str:
    """The model case moved to Almaty, Kazakhstan (accepts CAT art. 22), with remedies exhausted.

    Consent covers the treaty bodies; the refusal was appealed and the appeal decided on
    ``final_day`` (complaint_sent, refusal_to_open, appeal_filed, appeal_decided).
    """
    for old, new in [
        ("case_id: KG-2016-0001", "case_id: KZ-2016-0001"),
        ("country: KG", "country: KZ"),
        ("region: chui\ndistrict: Sokuluk", "region: almaty_city\ndistrict: Auezov"),
        ("member_org: vof", "member_org: kibhr"),
        ("    region: chui\n", "    region: almaty_city\n"),
        ("    settlement: {ru: с. Сокулук, en: Sokuluk}\n", "    settlement: Almaty\n"),
        ("      en: Sokuluk district police department (ROVD)", "      en: Auezov police"),
        ('{code: CC-KG-1997, article: "305-1"}', '{code: CC-KZ-2014, article: "146"}'),
        (
            "{name: {ru: Прокуратура Чуйской области, en: Chui regional procuracy}, level: "
            "regional, office: chui}",
            "{name: Almaty city procuracy, level: regional}",
        ),
    ]:
        text = edit(text, old, new)
    text = text.replace("Sokuluk district procuracy", "Auezov district procuracy")
    text = with_scopes(text)
    return add_events(text, APPEAL_DECIDED.format(day=final_day))


# --- helpers -------------------------------------------------------------------------------------


def build(root: Path, case_text: str, case_path: str = KG_CASE, config: str = CONFIG) -> Path:
    for name, text in {"cattool.yaml": config, case_path: case_text}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Callable[..., Path]:
    """``repo(case_text, case_path=KG_CASE)``: a new case repository in tmp_path."""
    count = 0

    def make(case_text: str, case_path: str = KG_CASE) -> Path:
        nonlocal count
        count += 1
        return build(tmp_path / f"repo{count}", case_text, case_path)

    return make


def cli(root: Path, *args: str) -> Any:
    return runner.invoke(app, [*args, "--repo", str(root)])


def letter(root: Path, *args: str, case: str = KG_ID) -> Any:
    return cli(root, "letter", case, *args)


def un_check(root: Path, to: str, day: str, case: str = KG_ID) -> Any:
    return cli(root, "un-check", case, "--to", to, "--date", day)


def md(root: Path, *args: str, case: str = KG_ID) -> str:
    """The document printed as Markdown; fails the test if the command failed."""
    result = letter(root, "--format", "md", "--stdout", *args, case=case)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def errors(stderr: str) -> list[str]:
    """stderr without the 'cattool: warning:' lines (country data, readiness warnings)."""
    return [line for line in stderr.splitlines() if not line.startswith("cattool: warning:")]


def report(result: Any, case: Path) -> list[str]:
    """What un-check says after '<case file>: ' on each line (the file shown relative or not)."""
    found = []
    for line in result.stdout.splitlines():
        shown, sep, rest = line.partition(f"{case.name}: ")
        assert sep, f"{line!r} does not name the case file"
        assert Path(shown + case.name).resolve() == case.resolve(), line
        found.append(rest)
    return found


def validates(root: Path, case_path: str = KG_CASE) -> None:
    result = cli(root, "validate", str(root / case_path))
    assert result.exit_code == 0, result.output


def docx_text(path: Path) -> str:
    """Everything a reader of the Word file sees: paragraphs, tables, headers and footers."""
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    props = document.core_properties
    parts += [props.title or "", props.subject or "", props.author or "", props.comments or ""]
    return "\n".join(parts)


def sections(path: Path) -> dict[str, list[str]]:
    """The paragraphs under each 'Letter Heading' of the DOCX, in order (bullets without mark).

    The signature block ends the last section.
    """
    found: dict[str, list[str]] = {}
    current = None
    for p in docx.Document(str(path)).paragraphs:
        style = p.style.name if p.style is not None else ""
        if style == "Letter Heading":
            current = p.text
            found[current] = []
        elif style == "Letter Signature":
            current = None
        elif current is not None and p.text.strip():
            found[current].append(p.text.removeprefix("–\t"))
    return found


def styled(path: Path, style: str) -> list[str]:
    return [
        p.text
        for p in docx.Document(str(path)).paragraphs
        if p.style is not None and p.style.name == style
    ]


def added_lines(before: str, after: str) -> list[str]:
    """Lines the edit added; fails the test if it changed or removed any line."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    assert [d for d in diff if d.startswith("- ")] == [], "an existing line was changed"
    return [d[2:] for d in diff if d.startswith("+ ")]


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if "#" in line]


# --- 1. the Special Rapporteur: the Word file and the online-form sheet --------------------------

SR_STEM = f"{KG_ID}_sr-torture-allegation-letter_2016-05-01"


@pytest.fixture(scope="module")
def sr_letter(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The model case to the Special Rapporteur, as DOCX, by the command a lawyer would type."""
    root = build(tmp_path_factory.mktemp("sr"), model())
    result = letter(root, "--to", "sr-torture", "--date", "2016-05-01")
    return {"root": root, "result": result, "folder": root / KG_OUT}


def test_sr_writes_the_letter_and_the_online_form_sheet_beside_it(
    sr_letter: dict[str, Any],
) -> None:
    result, folder = sr_letter["result"], sr_letter["folder"]
    assert result.exit_code == 0, result.output
    letter_path = folder / f"{SR_STEM}_en.docx"
    sheet = folder / f"{SR_STEM}_online-form_en.md"
    assert sorted(p.name for p in folder.iterdir()) == sorted([letter_path.name, sheet.name])
    assert result.stdout.splitlines() == [
        f"wrote {os.path.relpath(letter_path)}",
        f"wrote {os.path.relpath(sheet)}",
    ]
    assert errors(result.stderr) == [
        "allegation letter: the case records no present risk to the victim"
    ]
    assert (sr_letter["root"] / KG_CASE).read_text(encoding="utf-8") == model()


def test_sr_docx_has_the_five_sections_in_order(sr_letter: dict[str, Any]) -> None:
    path = sr_letter["folder"] / f"{SR_STEM}_en.docx"
    assert styled(path, "Letter Title") == ["SUBMISSION FOR AN ALLEGATION LETTER"]
    assert styled(path, "Letter Subtitle") == [f"Kyrgyzstan: torture of {FULL_NAME}"]
    addressee = styled(path, "Letter Addressee")
    assert len(addressee) == 1
    assert addressee[0].splitlines()[0] == (
        "To: Special Rapporteur on torture and other cruel, inhuman or degrading treatment "
        "or punishment"
    )
    assert "spsubmission.ohchr.org" in addressee[0]
    assert "urgent-action@ohchr.org" not in addressee[0]

    found = sections(path)
    assert list(found) == SR_SECTIONS
    victim = found["I. The victim"]
    assert victim == [
        f"{FULL_NAME}; sex: male; born {BORN}; age group: adult; nationality: Kyrgyz; occupation: "
        "construction worker; status at the time: suspect; now: free."
    ]
    circumstances = found["II. The circumstances"]
    assert "Date: 10 March 2016." in circumstances
    assert (
        "Place: police station, Sokuluk district police department (ROVD), Sokuluk, Chui Region."
        in circumstances
    )
    assert (
        "Arrest: 10 March 2016 at 09:30; the detention was recorded 10 March 2016 at 21:00."
        in circumstances
    )
    assert (
        "Forces responsible: operative officer, criminal investigation department, police "
        "(Interior Ministry)." in circumstances
    )
    assert "Access to a lawyer: late access. Family informed: no." in circumstances
    assert any(line.startswith("Methods: beating, asphyxiation") for line in circumstances)
    assert any("Apparent purpose: to obtain a confession." in line for line in circumstances)
    assert "Injuries: Bruises on the back and ribs; pain in the chest." in circumstances
    assert "Statement: forced to sign." in circumstances
    assert any(line.startswith("Medical examination: forensic medical") for line in circumstances)
    assert any(line.startswith(FULL_NARRATIVE) for line in circumstances)  # named in full

    remedies = found["III. Domestic remedies pursued"]
    # an allegation letter ends the section with the questions for the Government
    questions = remedies.pop()
    assert questions.startswith("We ask the Special Rapporteur to request the Government")
    assert "sanctions" in questions and "compensation" in questions
    assert [line[:10] for line in remedies[1:]] == [
        "2016-03-15",
        "2016-03-16",
        "2016-04-11",
        "2016-04-20",
    ]
    assert (
        "2016-04-11: Refusal to open a criminal case (Sokuluk district procuracy), ref. "
        "02-17/516, grounds: no elements of a crime." in remedies
    )
    (organisation,) = found["IV. The submitting organisation"]
    assert organisation.startswith('Public Foundation "Voice of Freedom", 1 Fictional Street')
    assert organisation.endswith("asks that its identity as the source be kept confidential.")
    assert found["V. Consent"] == [
        f"{FULL_NAME}: consent given on 2016-03-14 (written). The name may be transmitted to the "
        "Government; in public reports the person may appear by initials only."
    ]

    text = docx_text(path)
    assert "{{" not in text and "{%" not in text and "\ue000" not in text
    assert "+996 555 000" not in text  # the victim's and the source's phone numbers
    signature = styled(path, "Letter Signature")
    assert signature == [
        '1 May 2016\nDirector\nPublic Foundation "Voice of Freedom"\nA. B. Primerova\n'
        f"Case reference: {KG_ID}"
    ]
    props = docx.Document(str(path)).core_properties
    assert props.title == f"{KG_ID} sr-torture allegation-letter (en)"
    assert props.author == ""


def test_sr_online_form_sheet_lists_the_fields(sr_letter: dict[str, Any]) -> None:
    sheet = (sr_letter["folder"] / f"{SR_STEM}_online-form_en.md").read_text(encoding="utf-8")
    lines = [line.rstrip() for line in sheet.splitlines()]
    headings = [line for line in lines if line.startswith("### ")]
    assert headings == [
        "### Submission",
        "### Victim",
        "### Alleged perpetrators",
        "### Date and place",
        "### Description",
        "### Domestic remedies",
        "### Submitter",
    ]
    for field in [
        "- Mandate: Special Rapporteur on torture",
        "- Urgent: no",
        "- Country: Kyrgyzstan",
        "- Should the submitter's identity remain confidential: yes",
        f"- Name: {FULL_NAME}",
        "- Sex: male",
        f"- Date of birth: {BORN}",
        "- Consent to transmit the name to the Government: yes",
        "- Consent to the name appearing in public reports: by initials only",
        "- operative officer, criminal investigation department, police (Interior Ministry)",
        "- 10 March 2016: police station, Sokuluk district police department (ROVD), Sokuluk, "
        "Chui Region",
        "- 2016-04-11: Refusal to open a criminal case (Sokuluk district procuracy), ref. 02-17/516",
        '- Organisation: Public Foundation "Voice of Freedom"',
        "- Contact person: A. B. Primerova",
    ]:
        assert field in lines, field
    assert "spsubmission.ohchr.org" in sheet
    assert "{{" not in sheet and "\ue000" not in sheet


# --- 2. urgent appeal or allegation letter -----------------------------------------------------


def test_a_victim_detained_by_the_agency_of_perpetrators_in_post_gets_an_urgent_appeal(
    repo: Callable[..., Path],
) -> None:
    root = repo(detained(model()))
    result = letter(root, "--to", "sr-torture", "--date", "2016-05-01")
    assert result.exit_code == 0, result.output
    assert errors(result.stderr) == [f"urgent appeal: {DETAINED_REASON}"]
    stem = f"{KG_ID}_sr-torture-urgent-appeal_2016-05-01"
    path = root / KG_OUT / f"{stem}_en.docx"
    assert styled(path, "Letter Title") == ["REQUEST FOR AN URGENT APPEAL"]
    assert "urgent-action@ohchr.org" in styled(path, "Letter Addressee")[0]
    assert list(sections(path)) == SR_SECTIONS
    sheet = (root / KG_OUT / f"{stem}_online-form_en.md").read_text(encoding="utf-8")
    assert "- Urgent: yes" in sheet.splitlines()


def test_a_free_victim_at_low_risk_gets_an_allegation_letter(repo: Callable[..., Path]) -> None:
    root = repo(edit(model(), "reprisal_risk: medium", "reprisal_risk: low"))
    result = letter(root, "--to", "sr-torture", "--date", "2016-05-01", "--format", "md")
    assert result.exit_code == 0, result.output
    assert errors(result.stderr) == [
        "allegation letter: the case records no present risk to the victim"
    ]
    assert (root / KG_OUT / f"{SR_STEM}_en.md").exists()


def test_a_detained_victim_whose_perpetrators_were_suspended_gets_an_allegation_letter(
    repo: Callable[..., Path],
) -> None:
    root = repo(edit(detained(model()), "post_status: in_post", "post_status: suspended"))
    result = letter(root, "--to", "sr-torture", "--date", "2016-05-01", "--format", "md")
    assert result.exit_code == 0, result.output
    assert errors(result.stderr)[0].startswith("allegation letter:")


def test_a_high_risk_of_reprisals_makes_it_urgent(repo: Callable[..., Path]) -> None:
    root = repo(edit(model(), "reprisal_risk: medium", "reprisal_risk: high"))
    result = letter(root, "--to", "sr-torture", "--date", "2016-05-01", "--format", "md")
    assert result.exit_code == 0, result.output
    assert errors(result.stderr) == [
        "urgent appeal: the case records a high risk of reprisals against Timur Bakirovich "
        "Fictionov"
    ]


@pytest.mark.parametrize(
    ("days", "kind"), [(0, "urgent appeal"), (180, "urgent appeal"), (181, "allegation letter")]
)
def test_a_reprisal_in_the_last_180_days_makes_it_urgent(
    repo: Callable[..., Path], days: int, kind: str
) -> None:
    root = repo(add_events(model(), reprisal("2016-05-01")))
    validates(root)
    day = (dt.date(2016, 5, 1) + dt.timedelta(days=days)).isoformat()
    result = letter(root, "--to", "sr-torture", "--date", day, "--format", "md", "--stdout")
    assert result.exit_code == 0, result.output
    (line,) = errors(result.stderr)
    assert line.startswith(f"{kind}: ")
    if kind == "urgent appeal":
        assert line == "urgent appeal: a reprisal was recorded on 2016-05-01"
        assert "# REQUEST FOR AN URGENT APPEAL" in result.stdout.splitlines()
    else:
        assert "# SUBMISSION FOR AN ALLEGATION LETTER" in result.stdout.splitlines()


def test_urgent_and_allegation_can_be_forced_and_the_output_says_so(
    repo: Callable[..., Path],
) -> None:
    free = repo(model())
    result = letter(
        free, "--to", "sr-torture", "--urgent", "--date", "2016-05-01", "--format", "md"
    )
    assert result.exit_code == 0, result.output
    assert errors(result.stderr) == ["urgent appeal: forced with --urgent/--allegation"]
    assert (free / KG_OUT / f"{KG_ID}_sr-torture-urgent-appeal_2016-05-01_en.md").exists()

    held = repo(detained(model()))
    result = letter(held, "--to", "sr-torture", "--allegation", "--date", "2016-05-01", "-f", "md")
    assert result.exit_code == 0, result.output
    assert errors(result.stderr) == ["allegation letter: forced with --urgent/--allegation"]
    assert (held / KG_OUT / f"{SR_STEM}_en.md").exists()
    sheet = held / KG_OUT / f"{SR_STEM}_online-form_en.md"
    assert "- Urgent: no" in sheet.read_text(encoding="utf-8").splitlines()


def test_a_forced_urgent_appeal_gives_a_reason_for_the_urgency(repo: Callable[..., Path]) -> None:
    out = md(repo(model()), "--to", "sr-torture", "--urgent", "--date", "2016-05-01")
    urgent = [line for line in out.splitlines() if line.startswith("URGENT.")]
    assert urgent and not urgent[0].endswith(": .")


def test_the_reason_for_urgency_names_the_victim_as_the_document_does(
    repo: Callable[..., Path],
) -> None:
    root = repo(decided(with_scopes(detained(model()))))
    sr = md(root, "--to", "sr-torture", "--date", "2016-05-01")
    hrc = md(root, "--to", "hrc", "--date", "2016-05-01")
    urgent = next(line for line in sr.splitlines() if line.startswith("URGENT."))
    interim = next(line for line in hrc.splitlines() if line.startswith(INTERIM))
    for line in (urgent, interim):
        assert not re.search(r"\bv1\b", line), line


@pytest.mark.parametrize(
    "args",
    [
        ["--to", "hrc", "--urgent"],
        ["--to", "cat", "--allegation"],
        ["--to", "sr-torture", "--urgent", "--allegation"],
        ["--to", "hrc", "--kind", "appeal"],
    ],
    ids=["urgent-hrc", "allegation-cat", "both", "kind-for-un"],
)
def test_wrong_options_for_the_un_are_usage_errors(
    repo: Callable[..., Path], args: list[str]
) -> None:
    root = repo(with_scopes(model()))
    result = letter(root, *args, "--date", "2016-05-01")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert not (root / "out").exists()


def test_a_case_of_ill_treatment_is_not_called_torture(repo: Callable[..., Path]) -> None:
    root = repo(edit(model(), "violation_type: torture", "violation_type: cidt"))
    validates(root)
    out = md(root, "--to", "sr-torture", "--date", "2016-05-01")
    assert f"## Kyrgyzstan: torture of {FULL_NAME}" not in out.splitlines()


# --- 3. consent -------------------------------------------------------------------------------------

SR_CONSENT_GAP = (
    "consent: no consent of victims[0] (v1) with scope un_special_procedures: the document "
    "cannot name or describe them"
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (SCOPES_LINE, "scopes: [domestic_complaint, anonymised_statistics]"),
        ("    given_on: 2016-03-14\n", "    given_on: 2016-03-14\n    withdrawn_on: 2016-03-20\n"),
    ],
    ids=["no-scope", "withdrawn"],
)
def test_no_consent_for_special_procedures_refuses_naming_the_gap_not_the_victim(
    repo: Callable[..., Path], old: str, new: str
) -> None:
    root = repo(edit(model(), old, new))
    case = root / KG_CASE
    result = letter(root, "--to", "sr-torture", "--date", "2016-05-01")
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    first, *listed, last = errors(result.stderr)
    assert first == "cattool: the letter cannot be written yet; fill in:"
    assert len(listed) == 1 and listed[0].endswith(f"{case.name}: {SR_CONSENT_GAP}")
    assert last.startswith("then run the command again")
    check = un_check(root, "sr-torture", "2016-05-01")
    assert check.exit_code == 1, check.output
    assert f"blocks: {SR_CONSENT_GAP}" in report(check, root / KG_CASE)
    for output in (result.output, check.output):
        assert not any(value in output for value in NEVER_UNDER_INITIALS), output
    assert not (root / "out").exists()


def test_treaty_bodies_need_the_treaty_body_scope(repo: Callable[..., Path]) -> None:
    root = repo(model())  # consent for the special procedures only
    result = letter(root, "--to", "hrc", "--date", "2016-05-01")
    assert result.exit_code == 1, result.output
    assert "consent: no consent of victims[0] (v1) with scope un_treaty_body" in result.stderr
    assert FULL_NAME not in result.output
    assert not (root / "out").exists()


@pytest.fixture(scope="module")
def initials_letter(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The Special Rapporteur letter under partial consent: initials only, not to the government."""
    root = build(tmp_path_factory.mktemp("initials"), initials_only(model()))
    result = letter(root, "--to", "sr-torture", "--date", "2016-05-01", "--format", "docx,md")
    return {"root": root, "result": result, "folder": root / KG_OUT}


def test_partial_consent_names_the_victim_by_initials_and_nothing_more(
    initials_letter: dict[str, Any],
) -> None:
    root, result, folder = (initials_letter[k] for k in ("root", "result", "folder"))
    assert result.exit_code == 0, result.output
    validates(root)
    assert FULL_NAME in (root / KG_CASE).read_text(encoding="utf-8")  # the case does hold them
    assert PERPETRATOR in (root / KG_CASE).read_text(encoding="utf-8")
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(
        [f"{SR_STEM}_en.docx", f"{SR_STEM}_en.md", f"{SR_STEM}_online-form_en.md"]
    )
    docx_path = folder / f"{SR_STEM}_en.docx"
    texts = {
        "docx": docx_text(docx_path),
        "md": (folder / f"{SR_STEM}_en.md").read_text(encoding="utf-8"),
        "sheet": (folder / f"{SR_STEM}_online-form_en.md").read_text(encoding="utf-8"),
        "output": result.output,
        "file names": " ".join(written),
    }
    for where, text in texts.items():
        leaked = [value for value in NEVER_UNDER_INITIALS if value in text]
        assert leaked == [], f"{where} shows {leaked}"
    for where in ("docx", "md", "sheet"):
        assert "T.F." in texts[where], where
        assert PUBLIC_NARRATIVE in texts[where], where  # the sanitised narrative_public
    found = sections(docx_path)
    assert list(found) == SR_SECTIONS
    assert found["I. The victim"][0].startswith(
        "T.F. (initials only, as the victim's consent allows); sex: male"
    )
    assert styled(docx_path, "Letter Subtitle") == ["Kyrgyzstan: torture of T.F."]
    assert found["V. Consent"] == [
        "T.F.: consent given on 2016-03-14 (written). The name may not be transmitted to the "
        "Government; in public reports the person may appear by initials only."
    ]
    sheet = texts["sheet"].splitlines()
    assert "- Name: T.F. (initials only)" in sheet
    assert "- Consent to transmit the name to the Government: no" in sheet
    assert not any(line.startswith("- Date of birth") for line in sheet)


def test_consent_to_no_name_at_all_leaves_the_victim_unnamed(repo: Callable[..., Path]) -> None:
    text = edit(
        initials_only(model()),
        "    name_in_public_reports: initials\n",
        "    name_in_public_reports: none\n",
    )
    out = md(repo(text), "--to", "sr-torture", "--date", "2016-05-01")
    assert "- victim 1 (not named, as the victim's consent requires); sex: male" in out
    assert "T.F." not in out
    assert [value for value in NEVER_UNDER_INITIALS if value in out] == []


def test_a_victim_named_by_initials_needs_a_public_label(repo: Callable[..., Path]) -> None:
    root = repo(edit(initials_only(model()), "    public_label: T.F.\n", ""))
    for result in (
        letter(root, "--to", "sr-torture", "--date", "2016-05-01"),
        un_check(root, "sr-torture", "2016-05-01"),
    ):
        assert result.exit_code == 1, result.output
        assert "victims[0].public_label" in result.output
        assert not any(value in result.output for value in NEVER_UNDER_INITIALS), result.output
    assert not (root / "out").exists()


def test_a_victim_not_named_in_full_needs_a_sanitised_narrative(
    repo: Callable[..., Path],
) -> None:
    text = cut(initials_only(model()), "    narrative_public: >-\n", "\n# --- Alleged")
    root = repo(text)
    validates(root)
    result = letter(root, "--to", "sr-torture", "--date", "2016-05-01")
    assert result.exit_code == 1, result.output
    assert f"{Path(KG_CASE).name}: incidents[0].narrative_public: a sanitised account" in (
        result.stderr
    )
    assert not any(value in result.output for value in NEVER_UNDER_INITIALS), result.output
    assert not (root / "out").exists()


def test_a_committee_complaint_is_refused_when_the_victim_may_not_be_named_at_all(
    repo: Callable[..., Path],
) -> None:
    text = with_scopes(
        edit(
            initials_only(model()),
            "    name_in_public_reports: initials\n",
            "    name_in_public_reports: none\n",
        )
    )
    root = repo(text)
    result = un_check(root, "hrc", "2016-07-01")
    assert result.exit_code == 1, result.output
    assert any(
        line.startswith("blocks: consent: the consent of v1 does not let the name go to the State")
        for line in report(result, root / KG_CASE)
    )


def test_a_committee_complaint_needs_consent_to_give_the_name_to_the_state(
    repo: Callable[..., Path],
) -> None:
    root = repo(with_scopes(initials_only(model())))
    result = un_check(root, "hrc", "2016-07-01")
    assert result.exit_code == 1, result.output
    assert "name_to_government" in result.stdout


# --- 4. the Committee against Torture ------------------------------------------------------------


def test_cat_is_refused_for_a_state_without_an_article_22_declaration(
    repo: Callable[..., Path],
) -> None:
    root = repo(decided(with_scopes(model())))
    result = letter(root, "--to", "cat", "--date", "2016-07-01")
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    message = " ".join(errors(result.stderr))
    assert (
        "Kyrgyzstan has not accepted individual complaints to the Committee against Torture "
        "(Article 22)" in message
    )
    assert "--to hrc" in message
    assert not (root / "out").exists()

    check = un_check(root, "cat", "2016-07-01")
    assert check.exit_code == 1, check.output
    assert any(
        line.startswith("blocks: country: Kyrgyzstan has not accepted")
        for line in report(check, root / KG_CASE)
    )
    assert report(check, root / KG_CASE)[-1] == "cat: not ready: 1 item(s) block it"


CAT_STEM = f"{KZ_ID}_cat-complaint_2016-07-01"


@pytest.fixture(scope="module")
def cat_complaint(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A Kazakh case (art. 22 accepted) with exhausted remedies, its appeal decision listed first
    in the file (a timeline-order warning only): the table must still be in date order."""
    text = kazakh(model())
    start = text.index("  - event_id: e5\n")
    decision = text[start:]
    decision = decision[: decision.index("\n# --- Consent")].rstrip("\n") + "\n"
    text = text.replace(decision, "")
    text = edit(text, "  - event_id: e2\n", decision + "  - event_id: e2\n")
    root = build(tmp_path_factory.mktemp("cat"), text, KZ_CASE)
    result = letter(root, "--to", "cat", "--date", "2016-07-01", case=KZ_ID)
    return {"root": root, "result": result, "path": root / KZ_OUT / f"{CAT_STEM}_en.docx"}


def test_the_kazakh_case_validates(cat_complaint: dict[str, Any], tmp_path: Path) -> None:
    validates(cat_complaint["root"], KZ_CASE)  # its events out of order: a warning only
    validates(build(tmp_path, kazakh(model()), KZ_CASE), KZ_CASE)


def test_cat_complaint_for_kazakhstan_has_the_model_form_sections(
    cat_complaint: dict[str, Any],
) -> None:
    result, path = cat_complaint["result"], cat_complaint["path"]
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {os.path.relpath(path)}\n"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no form sheet for CAT
    assert styled(path, "Letter Title") == ["INDIVIDUAL COMPLAINT"]
    assert styled(path, "Letter Subtitle") == ["under article 22 of the Convention against Torture"]
    assert styled(path, "Letter Addressee")[0].splitlines()[0] == "To: Committee against Torture"
    found = sections(path)
    assert list(found) == COMPLAINT_SECTIONS
    assert found["II. State party and articles violated"] == [
        "State party: Kazakhstan.",
        "Articles invoked:",
        # no 15: the confession was not used against the victim (not charged, free)
        *(CAT[n] for n in ("1", "2", "12", "13", "14")),
        # the model case is "likely", its finding "consistent": severity not established
        "article 16 of the Convention (ill-treatment), in the alternative to article 1",
    ]
    assert found["IV. Other international procedures"] == [NOT_ELSEWHERE]
    assert found["III. Exhaustion of domestic remedies"] == [
        "Status: exhausted; final domestic decision: 2016-05-20.",
        # where the proceedings stand, from the model, on the complaint's date
        "As of 1 July 2016: The order refusing to open a criminal case of 11 April 2016 still "
        "stands: no criminal investigation has been opened. No one has been prosecuted. No "
        "compensation has been awarded or paid.",
    ]
    assert INTERIM not in docx_text(path)


def test_cat_complaint_holds_the_remedies_as_a_real_table_in_date_order(
    cat_complaint: dict[str, Any],
) -> None:
    document = docx.Document(str(cat_complaint["path"]))
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Date", "Step", "Authority", "Reference", "Outcome"]
    assert [r[:2] for r in rows[1:]] == [
        ["2016-03-15", "Complaint sent"],
        ["2016-03-16", "Forensic examination ordered"],
        ["2016-04-11", "Refusal to open a criminal case"],
        ["2016-04-20", "Appeal filed"],
        ["2016-05-20", "Appeal decided"],
    ]
    assert rows[3] == [
        "2016-04-11",
        "Refusal to open a criminal case",
        "Auezov district procuracy",
        "02-17/516",
        "no elements of a crime",
    ]
    assert rows[5][2:4] == ["Almaty city procuracy", "2-11/77"]
    # The table sits in part III, between its status line and part IV.
    # The table sits in part III, after its status line and before part IV.
    order = [
        "table" if child.tag.endswith("}tbl") else Paragraph(child, document).text
        for child in document.element.body.iterchildren()
        if child.tag.endswith(("}tbl", "}p"))
    ]
    assert order.count("table") == 1
    at = order.index("table")
    assert order[at - 3 : at] == [
        "III. Exhaustion of domestic remedies",
        "Status: exhausted; final domestic decision: 2016-05-20.",
        "As of 1 July 2016: The order refusing to open a criminal case of 11 April 2016 still "
        "stands: no criminal investigation has been opened. No one has been prosecuted. No "
        "compensation has been awarded or paid.",
    ]
    assert "IV. Other international procedures" in order[at + 1 : at + 3]


def test_cat_articles_follow_the_facts(repo: Callable[..., Path]) -> None:
    text = edit(kazakh(model()), "forced_statement: forced_to_sign", "forced_statement: refused")
    root = repo(text, KZ_CASE)
    out = md(root, "--to", "cat", "--date", "2016-07-01", case=KZ_ID)
    articles = [
        line[2:]
        for line in out.splitlines()
        if line.startswith("- article") and "Convention" in line
    ]
    assert articles == [CAT[n] for n in ("1", "2", "12", "13", "14")] + [
        "article 16 of the Convention (ill-treatment), in the alternative to article 1"
    ]


def test_cat_needs_the_treaty_body_scope(repo: Callable[..., Path]) -> None:
    text = edit(kazakh(model()), f"scopes: [{TREATY_SCOPES}]", SCOPES_LINE)
    root = repo(text, KZ_CASE)
    result = letter(root, "--to", "cat", "--date", "2016-07-01", case=KZ_ID)
    assert result.exit_code == 1, result.output
    assert "consent: no consent of victims[0] (v1) with scope un_treaty_body" in result.stderr
    assert not (root / "out").exists()


# --- 5. the Human Rights Committee ---------------------------------------------------------------


@pytest.fixture(scope="module")
def hrc_complaint(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = build(tmp_path_factory.mktemp("hrc"), decided(with_scopes(model())))
    result = letter(root, "--to", "hrc", "--date", "2016-07-01")
    path = root / KG_OUT / f"{KG_ID}_hrc-complaint_2016-07-01_en.docx"
    return {"root": root, "result": result, "path": path}


def test_hrc_complaint_invokes_the_articles_the_facts_support(
    hrc_complaint: dict[str, Any],
) -> None:
    result, path = hrc_complaint["result"], hrc_complaint["path"]
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {os.path.relpath(path)}\n"
    assert styled(path, "Letter Subtitle") == [
        "under the Optional Protocol to the International Covenant on Civil and Political Rights"
    ]
    assert styled(path, "Letter Addressee")[0].splitlines()[0] == "To: Human Rights Committee"
    found = sections(path)
    assert list(found) == COMPLAINT_SECTIONS
    # no 14 (3) (g): the victim is free and was not tried on the forced confession
    assert found["II. State party and articles violated"][2:] == [
        ICCPR[n] for n in ("2.3", "7", "9", "10")
    ]
    assert found["IV. Other international procedures"] == [NOT_ELSEWHERE]
    assert found["I. Author and victim"][1] == (
        f"Victim: {FULL_NAME} (we ask the Committee not to publish the victim's name in its "
        f"decision: initials only); sex: male; date of birth: {BORN}; nationality: Kyrgyz."
    )
    text = docx_text(path)
    assert INTERIM not in text  # the victim is free, the risk of reprisals medium
    requests = styled(path, "Letter Request")
    assert [r.split("\t", 1)[0] for r in requests] == ["1.", "2."]
    assert len(docx.Document(str(path)).tables) == 1


RECORDED = (
    'detention_recorded_at: "2016-03-10 21:00"',
    'detention_recorded_at: "2016-03-10 09:30"',
)
LAWYER = ("lawyer_access: late", "lawyer_access: present")
TRIED = ("current_status: free", "current_status: serving_sentence")  # convicted on the confession


@pytest.mark.parametrize(
    ("changes", "expected", "violated"),
    [
        ([], ["2.3", "7", "9", "10"], "article 7, read alone and in conjunction with article 2 (3), and articles 9 and 10"),
        ([TRIED], ["2.3", "7", "9", "10", "14.3g"], "article 7, read alone and in conjunction with article 2 (3), and articles 9, 10 and 14 (3) (g)"),
        ([RECORDED, LAWYER], ["2.3", "7", "10"], "article 7, read alone and in conjunction with article 2 (3), and article 10"),
        ([RECORDED], ["2.3", "7", "9", "10"], "article 7, read alone and in conjunction with article 2 (3), and articles 9 and 10"),
        ([LAWYER], ["2.3", "7", "9", "10"], "article 7, read alone and in conjunction with article 2 (3), and articles 9 and 10"),
        (
            [TRIED, ("forced_statement: forced_to_sign", "forced_statement: refused")],
            ["2.3", "7", "9", "10"],
            "article 7, read alone and in conjunction with article 2 (3), and articles 9 and 10",
        ),
        (
            [
                ('    de_facto_detention_at: "2016-03-10 09:30"\n', ""),
                ('    detention_recorded_at: "2016-03-10 21:00"\n', ""),
                ("place_type: police_station", "place_type: street_public"),
                ("context: interrogation", "context: protest"),  # beaten at a protest, not held
                ("status_at_incident: suspect", "status_at_incident: none"),
                LAWYER,
                ("forced_statement: forced_to_sign", "forced_statement: not_asked"),
            ],
            ["2.3", "7"],
            "article 7, read alone and in conjunction with article 2 (3),",
        ),
    ],
    ids=["model", "tried", "recorded-and-lawyer", "late-lawyer", "unrecorded", "no-forced", "street"],
)  # fmt: skip
def test_hrc_articles_are_chosen_from_the_facts(
    repo: Callable[..., Path], changes: list[tuple[str, str]], expected: list[str], violated: str
) -> None:
    """9 and 10 only for a person deprived of liberty (9 where the detention went unrecorded or
    without a lawyer); 14 (3) (g) only for a confession used against the victim (charged and
    tried); article 7 read alone and in conjunction with article 2 (3)."""
    text = decided(with_scopes(model()))
    for old, new in changes:
        text = edit(text, old, new)
    root = repo(text)
    out = md(root, "--to", "hrc", "--date", "2016-07-01")
    articles = [
        line[2:] for line in out.splitlines() if line.startswith("- article") and "Covenant" in line
    ]
    assert articles == [ICCPR[n] for n in expected]
    requested = next(line for line in out.splitlines() if line.startswith("1. To find"))
    assert requested == f"1. To find that the State party violated {violated} of the Covenant."


def test_hrc_requests_interim_measures_when_the_victim_is_at_risk(
    repo: Callable[..., Path],
) -> None:
    root = repo(decided(with_scopes(detained(model()))))
    result = letter(root, "--to", "hrc", "--date", "2016-07-01")
    assert result.exit_code == 0, result.output
    assert errors(result.stderr) == []  # the urgent/allegation line is for the Special Rapporteur
    path = root / KG_OUT / f"{KG_ID}_hrc-complaint_2016-07-01_en.docx"
    body = styled(path, "Letter Body")
    assert any(
        line.startswith(
            f"{INTERIM} (rule 94 of the Committee's rules of procedure): the victim is at risk now"
        )
        for line in body
    )
    requests = styled(path, "Letter Request")
    assert requests[-1] == (
        "3.\tTo request interim measures to protect the victim while the complaint is examined."
    )


def test_hrc_is_blocked_by_a_cat_communication_on_the_same_matter(
    repo: Callable[..., Path],
) -> None:
    comm = (
        "  - comm_id: u1\n    body: cat\n    kind: individual_complaint\n"
        "    submitted_on: 2016-07-01\n"
    )
    root = repo(add_communications(kazakh(model()), comm), KZ_CASE)
    validates(root, KZ_CASE)
    result = letter(root, "--to", "hrc", "--date", "2016-08-01", case=KZ_ID)
    assert result.exit_code == 1, result.output
    assert (
        "un_communications[0]: the same matter is before another international procedure"
        in result.stderr
    )
    assert not (root / "out").exists()
    check = un_check(root, "hrc", "2016-08-01", case=KZ_ID)
    assert check.exit_code == 1, check.output
    assert report(check, root / KZ_CASE)[-1] == "hrc: not ready: 1 item(s) block it"


def test_a_special_rapporteur_communication_does_not_block_a_committee(
    repo: Callable[..., Path],
) -> None:
    comm = (
        "  - comm_id: u1\n    body: sr_torture\n    kind: allegation_request\n"
        "    submitted_on: 2016-05-01\n"
    )
    root = repo(add_communications(decided(with_scopes(model())), comm))
    out = md(root, "--to", "hrc", "--date", "2016-07-01")
    assert NOT_ELSEWHERE not in out
    assert (
        "The case was also brought to: Special Rapporteur on Torture. None of these is a "
        "procedure of international investigation or settlement within the meaning of the "
        "Optional Protocol." in out.splitlines()
    )


# --- 6. un-check -----------------------------------------------------------------------------------


def test_un_check_a_ready_case(repo: Callable[..., Path]) -> None:
    root = repo(model())
    result = un_check(root, "sr-torture", "2016-05-01")
    assert result.exit_code == 0, result.output
    assert report(result, root / KG_CASE) == [
        "v1 is named: full",
        "domestic remedies: appeal pending",  # the refusal e3 was appealed (e4), not yet decided
        "criminal proceedings: refusal appealed",
        "allegation letter: no present risk recorded",
        "sr-torture: ready to send",
    ]
    assert FULL_NAME not in result.output
    assert not (root / "out").exists()


@pytest.mark.parametrize(
    ("day", "warning"),
    [
        ("2016-12-01", None),
        (
            "2017-06-01",
            "warning: incidents[0].date_start: the incident is more than a year old: older cases "
            "are rarely taken up; say why it is sent now",
        ),
        (
            "2018-06-01",
            "warning: incidents[0].date_start: the incident is 2 years old: the Special "
            "Rapporteur rarely takes up cases older than about two years",
        ),
    ],
)
def test_un_check_warns_on_an_old_incident_for_the_special_rapporteur(
    repo: Callable[..., Path], day: str, warning: str | None
) -> None:
    root = repo(model())
    result = un_check(root, "sr-torture", day)
    assert result.exit_code == 0, result.output
    lines = report(result, root / KG_CASE)
    assert [line for line in lines if line.startswith("warning:")] == ([warning] if warning else [])
    assert lines[-1] == "sr-torture: ready to send"


def test_un_check_blocks_hrc_without_any_domestic_complaint(repo: Callable[..., Path]) -> None:
    root = repo(with_scopes(without_timeline(model())))
    validates(root)
    result = un_check(root, "hrc", "2016-07-01")
    assert result.exit_code == 1, result.output
    lines = report(result, root / KG_CASE)
    assert (
        "blocks: legal_actions: no complaint to the national authorities is recorded: domestic "
        "remedies must be exhausted, or shown to be ineffective, before a Committee examines "
        "the case" in lines
    )
    assert "domestic remedies: not pursued" in lines
    assert lines[-1] == "hrc: not ready: 1 item(s) block it"
    sr = un_check(root, "sr-torture", "2016-07-01")  # the Special Rapporteur does not require it
    assert sr.exit_code == 0, sr.output


def test_un_check_blocks_hrc_when_the_refusal_was_not_appealed(
    repo: Callable[..., Path],
) -> None:
    root = repo(with_scopes(without_appeal(model())))
    validates(root)
    result = un_check(root, "hrc", "2016-07-01")
    assert result.exit_code == 1, result.output
    lines = report(result, root / KG_CASE)
    assert any(
        line.startswith("blocks: legal_actions: the refusal has not been appealed")
        for line in lines
    )
    assert "domestic remedies: refusal not appealed" in lines
    assert letter(root, "--to", "hrc", "--date", "2016-07-01").exit_code == 1
    assert not (root / "out").exists()


@pytest.mark.parametrize(
    ("day", "warning"),
    [
        ("2019-06-01", None),
        (
            "2020-12-01",
            "warning: legal_actions: five years after the final domestic decision (2016-05-20) "
            "end on 2021-05-20",
        ),
        (
            "2021-06-01",
            "warning: legal_actions: the final domestic decision (2016-05-20) is more than five "
            "years old: the Committee may find the complaint an abuse of the right of submission "
            "unless the delay is explained",
        ),
    ],
)
def test_un_check_warns_when_the_final_decision_is_near_or_past_five_years(
    repo: Callable[..., Path], day: str, warning: str | None
) -> None:
    root = repo(kazakh(model()), KZ_CASE)
    result = un_check(root, "hrc", day, case=KZ_ID)
    assert result.exit_code == 0, result.output
    lines = report(result, root / KZ_CASE)
    assert [line for line in lines if line.startswith("warning:")] == ([warning] if warning else [])
    assert "domestic remedies: exhausted" in lines
    assert lines[-1] == "hrc: ready to send"


def test_un_check_a_final_decision_of_29_february(repo: Callable[..., Path]) -> None:
    root = repo(kazakh(model(), final_day="2020-02-29"), KZ_CASE)
    validates(root, KZ_CASE)
    result = un_check(root, "hrc", "2024-12-01", case=KZ_ID)
    assert result.exit_code == 0, result.output
    assert "2025-02-28" in result.stdout or "2025-03-01" in result.stdout


def test_a_later_refusal_that_was_not_appealed_blocks_hrc(repo: Callable[..., Path]) -> None:
    later = (
        "  - event_id: e6\n    date: 2016-06-10\n    type: decision_annulled\n"
        "    authority: {name: Almaty city procuracy, level: regional}\n    direction: incoming\n"
        "  - event_id: e7\n    date: 2016-07-05\n    type: refusal_to_open\n"
        "    authority: {name: Auezov district procuracy, level: district}\n"
        "    direction: incoming\n    grounds: no_corpus_delicti\n"
    )
    text = kazakh(model())
    text = edit(
        text,
        '    their_ref: "2-11/77"\n    responds_to: e4\n',
        '    their_ref: "2-11/77"\n    responds_to: e4\n' + later,
    )
    root = repo(text, KZ_CASE)
    validates(root, KZ_CASE)
    result = un_check(root, "hrc", "2016-08-01", case=KZ_ID)
    assert result.exit_code == 1, result.output
    assert "the refusal has not been appealed" in result.stdout


def test_a_refusal_under_appeal_blocks_a_committee_and_its_decision_is_the_final_one(
    repo: Callable[..., Path], hrc_complaint: dict[str, Any]
) -> None:
    root = repo(with_scopes(model()))  # the refusal e3 was appealed (e4), not yet decided
    result = un_check(root, "hrc", "2016-07-01")
    assert result.exit_code == 1
    assert (
        "legal_actions[3]: an appeal is pending (e4 (appeal_filed, 2016-04-20)): domestic "
        "remedies are not exhausted" in result.stdout
    )
    status = sections(hrc_complaint["path"])["III. Exhaustion of domestic remedies"][0]
    assert status.startswith("Status: exhausted; final domestic decision: 2016-04-28.")


# --- 7. --record -----------------------------------------------------------------------------------


def test_record_adds_the_special_rapporteur_communication(repo: Callable[..., Path]) -> None:
    root = repo(model())
    case = root / KG_CASE
    result = letter(root, "--to", "sr-torture", "--date", "2016-05-01", "--record", "-f", "md")
    assert result.exit_code == 0, result.output
    last = result.stdout.splitlines()[-1]
    assert last.endswith(f"{case.name}: added u1 (sr_torture, allegation_request, 2016-05-01)")
    after = case.read_text(encoding="utf-8")
    assert added_lines(model(), after) == [
        "un_communications:",
        "  - comm_id: u1",
        "    body: sr_torture",
        "    kind: allegation_request",
        "    submitted_on: 2016-05-01",
        "    language: en",
        "    victim_ids: [v1]",
    ]
    assert comments(after) == comments(model())
    assert sorted(p.name for p in case.parent.iterdir()) == [case.name]
    validates(root)


def test_record_adds_the_next_communication_with_the_complaint_details(
    repo: Callable[..., Path],
) -> None:
    comm = (
        "  - comm_id: u1  # sent through the online form\n    body: sr_torture\n"
        "    kind: allegation_request\n    submitted_on: 2016-05-01\n"
        '    un_reference: "AL KGZ 1/2016"\n'
    )
    before = add_communications(decided(with_scopes(model())), comm)
    root = repo(before)
    validates(root)
    case = root / KG_CASE
    result = letter(root, "--to", "hrc", "--date", "2016-07-01", "--record")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].endswith(
        "added u2 (ccpr, individual_complaint, 2016-07-01)"
    )
    after = case.read_text(encoding="utf-8")
    assert added_lines(before, after) == [
        "  - comm_id: u2",
        "    body: ccpr",
        "    kind: individual_complaint",
        "    submitted_on: 2016-07-01",
        "    language: en",
        "    victim_ids: [v1]",
        "    articles: [ICCPR-2.3, ICCPR-7, ICCPR-9, ICCPR-10]",
        "    interim_measures_requested: false",
        "    domestic_remedies: {status: exhausted}",  # the appeal e4 was rejected
    ]
    assert comments(after) == comments(before)
    validates(root)


def test_record_for_cat_keeps_the_remedies_status_and_interim_measures(
    repo: Callable[..., Path],
) -> None:
    before = detained(kazakh(model()))
    root = repo(before, KZ_CASE)
    result = letter(root, "--to", "cat", "--date", "2016-07-01", "--record", case=KZ_ID)
    assert result.exit_code == 0, result.output
    after = (root / KZ_CASE).read_text(encoding="utf-8")
    added = added_lines(before, after)
    assert added[:3] == ["un_communications:", "  - comm_id: u1", "    body: cat"]
    assert "    articles: [CAT-1, CAT-2, CAT-12, CAT-13, CAT-14, CAT-15]" in added
    assert "    interim_measures_requested: true" in added
    assert "    domestic_remedies: {status: exhausted}" in added
    assert comments(after) == comments(before)
    validates(root, KZ_CASE)
    # The case now has a CAT complaint: the Human Rights Committee is blocked.
    assert un_check(root, "hrc", "2016-08-01", case=KZ_ID).exit_code == 1


def test_record_writes_nothing_when_the_document_is_refused(repo: Callable[..., Path]) -> None:
    before = model()
    root = repo(before)
    result = letter(root, "--to", "hrc", "--date", "2016-07-01", "--record")  # no treaty consent
    assert result.exit_code == 1, result.output
    assert (root / KG_CASE).read_text(encoding="utf-8") == before
    assert not (root / "out").exists()


# --- 8. never overwrite; English only ------------------------------------------------------------


def test_an_existing_submission_is_kept_unless_force(repo: Callable[..., Path]) -> None:
    root = repo(model())
    args = ["--to", "sr-torture", "--date", "2016-05-01"]
    first = letter(root, *args)
    assert first.exit_code == 0, first.output
    folder = root / KG_OUT
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(before) == 2

    again = letter(root, *args, "--urgent")  # same day, other kind: the sheet name differs
    assert again.exit_code == 0, again.output
    assert len(list(folder.iterdir())) == 4
    repeat = letter(root, *args)
    assert repeat.exit_code == 4, repeat.output
    assert repeat.stdout == ""
    message = " ".join(errors(repeat.stderr))
    assert "exist already; nothing was written. Use --force to replace them." in message
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name in before} == before

    sheet = folder / f"{SR_STEM}_online-form_en.md"
    sheet.unlink()  # one of the two exists: still nothing is written
    partly = letter(root, *args)
    assert partly.exit_code == 4, partly.output
    assert not sheet.exists()

    forced = letter(root, *args, "--force")
    assert forced.exit_code == 0, forced.output
    assert sheet.exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary file left


@pytest.mark.parametrize("lang", ["ru", "ru,en", "en,ru"])
@pytest.mark.parametrize("to", ["sr-torture", "hrc"])
def test_a_un_submission_in_russian_is_a_usage_error(
    repo: Callable[..., Path], lang: str, to: str
) -> None:
    root = repo(with_scopes(model()))
    result = letter(root, "--to", to, "--lang", lang, "--date", "2016-05-01")
    assert result.exit_code == 2, result.output
    assert "UN submissions are written in English" in result.stderr
    assert not (root / "out").exists()


def test_article_16_is_pleaded_in_the_alternative_only_where_severity_is_not_established() -> None:
    """Torture with a confirmed allegation and a finding at least highly consistent with it:
    articles 1 and 2 alone. Not confirmed, or no such finding: article 16 in the alternative.
    Ill-treatment that is not torture already invokes article 16: nothing to add."""
    from cattool.letters.un import alternative_article

    torture = ["CAT-1", "CAT-2", "CAT-12", "CAT-13"]
    strong = {"confirmation": "confirmed", "medical_evidence": [{"overall_consistency": "typical"}]}
    assert alternative_article(strong, torture) is None
    weak_finding = {**strong, "medical_evidence": [{"overall_consistency": "consistent"}]}
    assert alternative_article(weak_finding, torture) == "CAT-16"
    assert alternative_article({**strong, "confirmation": "likely"}, torture) == "CAT-16"
    assert alternative_article({"confirmation": "likely"}, ["CAT-16", "CAT-12"]) is None
