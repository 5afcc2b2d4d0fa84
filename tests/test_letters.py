"""Letters to the procuracy: complaint, reminder, appeal; DOCX, Markdown, PDF; through the CLI.

Every letter here is made from the model case (cases/KG/KG-2016-0001.yaml) in a case repository in
tmp_path whose cattool.yaml holds the demo 'vof' organisation, and is read back as a lawyer would
see it: the Word file reopened with python-docx, the Markdown compared with a reviewed snapshot.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from demo_settings import VOF_SETTINGS
from docx.enum.text import WD_ALIGN_PARAGRAPH
from typer.testing import CliRunner

from cattool.cli import app
from cattool.letters.pdf import find_office
from cattool.russian import (
    count_with_words,
    date_long,
    date_numeric,
    date_quoted,
    days_phrase,
    number_words,
    office_case,
    plural,
)

runner = CliRunner()
PROJECT = Path(__file__).resolve().parent.parent
MODEL_CASE = PROJECT / "cases" / "KG" / "KG-2016-0001.yaml"
SNAPSHOTS = Path(__file__).resolve().parent / "letters"
CASE = "cases/KG/KG-2016-0001.yaml"
OUT = "out/KG-2016-0001"
COMPLAINT_RU = "KG-2016-0001_procuracy-complaint_chui_2016-03-15_ru"
TEMPLATE = "templates/letters/procuracy-complaint.ru.md.j2"  # a repository's own copy

# The 'vof' entry of the demo cattool.yaml (all invented), so letters have an applicant.
CONFIG = VOF_SETTINGS
SIGNATORY = CONFIG[CONFIG.index("    signatory:") :]
# Values of the model case that no message may ever show.
SENSITIVE = (
    "Timur Bakirovich Fictionov",
    "Fictionov",
    "Фиктионов",
    "+996 555 000 222",
    "+996 555 000 111",
)
REQUEST_VERBS = [
    "Зарегистрировать",
    "Незамедлительно",
    "Обеспечить",
    "Опросить",  # a pre-investigation check (Kyrgyzstan before 2019): «опросить»
    "Возбудить",
    "Отстранить",
    "Принять",
    "О принятых",
]


# --- helpers ---------------------------------------------------------------------------------------


def write_repo(
    root: Path, case_text: str, config: str = CONFIG, files: dict[str, str] | None = None
) -> Path:
    """A case repository: cattool.yaml, the case file and any other ``files`` (relative paths)."""
    tree = {"cattool.yaml": config, CASE: case_text, **(files or {})}
    for name, text in tree.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def letter_repo(tmp_path: Path, model_case_text: str) -> Callable[..., Path]:
    """``letter_repo(case_text=None, config=CONFIG, files=None)``: a new repository in tmp_path."""
    count = 0

    def make(
        case_text: str | None = None, config: str = CONFIG, files: dict[str, str] | None = None
    ) -> Path:
        nonlocal count
        count += 1
        root = tmp_path / f"repo{count}"
        text = model_case_text if case_text is None else case_text
        return write_repo(root, text, config, files)

    return make


def edit(text: str, old: str, new: str) -> str:
    """Replace ``old`` (which must occur exactly once, so a changed model case fails loudly)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the model case"
    return text.replace(old, new)


def letter(root: Path, *args: str) -> Any:
    return runner.invoke(app, ["letter", "KG-2016-0001", *args, "--repo", str(root)])


def md(root: Path, *args: str) -> str:
    """The letter printed as Markdown; fails the test if the command failed."""
    result = letter(root, "--format", "md", "--stdout", *args)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def errors(stderr: str) -> list[str]:
    """stderr without the 'verified: false' warnings the KG country data causes."""
    return [line for line in stderr.splitlines() if not line.startswith("cattool: warning:")]


def about_case(lines: list[str], case: Path) -> list[str]:
    """What follows '<case file>: ' on each line; the file may be shown absolute or relative."""
    found = []
    for line in lines:
        if line.strip().startswith("cattool.yaml: "):  # a gap in the settings, not the case
            found.append(line.strip())
            continue
        name, sep, rest = line.strip().partition(f"{case.name}: ")
        assert sep, f"{line!r} does not name the case file"
        assert Path(name + case.name).resolve() == case.resolve(), line
        found.append(rest)
    return found


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every paragraph of a DOCX."""
    return [(style_name(p), p.text) for p in docx.Document(str(path)).paragraphs]


def style_name(paragraph: Any) -> str:
    return str(paragraph.style.name) if paragraph.style is not None else ""


def added_lines(before: str, after: str) -> list[str]:
    """Lines the edit added; fails the test if it changed or removed any line."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    assert [d for d in diff if d.startswith("- ")] == [], "an existing line was changed"
    return [d[2:] for d in diff if d.startswith("+ ")]


# --- 1. the complaint as a Word file ---------------------------------------------------------------


@pytest.fixture(scope="module")
def complaint_docx(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The model case's complaint, written once as DOCX by the command a lawyer would type."""
    root = write_repo(tmp_path_factory.mktemp("complaint"), MODEL_CASE.read_text(encoding="utf-8"))
    cases_before = files_under(root / "cases")
    result = letter(root, "--date", "2016-03-15", "--our-ref", "VOF-16/031")
    return {"root": root, "result": result, "cases_before": cases_before}


def test_complaint_docx_is_written_to_out_and_nowhere_else(complaint_docx: dict[str, Any]) -> None:
    root, result = complaint_docx["root"], complaint_docx["result"]
    assert result.exit_code == 0, result.output
    path = root / OUT / f"{COMPLAINT_RU}.docx"
    assert result.stdout == f"wrote {os.path.relpath(path)}\n"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left
    assert files_under(root / "cases") == complaint_docx["cases_before"]
    assert sorted(p.name for p in root.iterdir()) == ["cases", "cattool.yaml", "out"]


def test_complaint_docx_layout_and_text(complaint_docx: dict[str, Any]) -> None:
    path = complaint_docx["root"] / OUT / f"{COMPLAINT_RU}.docx"
    document = docx.Document(str(path))
    paras = [(style_name(p), p.text) for p in document.paragraphs]

    style, text = paras[0]
    assert style == "Letter Addressee"
    assert text.splitlines()[0] == "Прокурору Чуйской области"
    titles = [p for p in document.paragraphs if p.text == "ЗАЯВЛЕНИЕ"]
    assert len(titles) == 1
    title = titles[0]
    assert title.style is not None and title.style.name == "Letter Title"
    alignment = title.alignment or title.style.paragraph_format.alignment
    assert alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert ("Letter Subtitle", "о преступлении (применении пыток)") in paras

    body = "\n".join(text for _, text in paras)
    article = "статьёй 305-1 («Пытки») Уголовного кодекса Кыргызской Республики 1997 года"
    assert body.count(article) == 2  # the legal assessment and request 5
    assert "{{" not in body and "{%" not in body and "\ue000" not in body

    requests = [text for style, text in paras if style == "Letter Request"]
    assert [r.split("\t", 1)[0] for r in requests] == [f"{n}." for n in range(1, 9)]
    for request, verb in zip(requests, REQUEST_VERBS, strict=True):
        assert request.split("\t", 1)[1].startswith(verb), request

    signature = [text for style, text in paras if style == "Letter Signature"]
    assert len(signature) == 1
    assert signature[0].splitlines() == [
        "«15» марта 2016 г., г. Бишкек",
        "Исх. № VOF-16/031",
        "Директор",
        "Общественный фонд «Голос свободы»",
        "_______________ / А. Б. Примерова /",
    ]

    (section,) = document.sections
    assert section.page_width is not None and section.page_height is not None
    assert abs(section.page_width.cm - 21.0) < 0.05
    assert abs(section.page_height.cm - 29.7) < 0.05
    footer = section.footer
    assert not footer.is_linked_to_previous
    fields = footer._element.xpath(".//w:instrText/text()") + footer._element.xpath(
        ".//w:fldSimple/@w:instr"
    )
    assert any("PAGE" in field.split() for field in fields), fields

    # Word's document properties say nothing about the victim or the author.
    props = document.core_properties
    assert props.title == "KG-2016-0001 procuracy complaint (ru)"
    assert props.author == "" and props.last_modified_by == "" and props.comments == ""


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "de"],
        ["--format", "rtf"],
        ["--stdout"],  # a Word file cannot be printed
        ["--format", "md,txt", "--stdout"],
        ["--date", "2016-02-30"],
    ],
    ids=["lang", "format", "stdout-docx", "stdout-two-formats", "date"],
)
def test_wrong_options_are_usage_errors(letter_repo: Callable[..., Path], args: list[str]) -> None:
    root = letter_repo()
    result = letter(root, *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert not (root / "out").exists()


# --- 2. both languages -------------------------------------------------------------------------------


def test_lang_ru_en_writes_one_file_per_language(letter_repo: Callable[..., Path]) -> None:
    root = letter_repo()
    result = letter(root, "--date", "2016-03-15", "--lang", "ru,en")
    assert result.exit_code == 0, result.output
    folder = root / OUT
    stem = "KG-2016-0001_procuracy-complaint_chui_2016-03-15"
    assert sorted(p.name for p in folder.iterdir()) == [f"{stem}_en.docx", f"{stem}_ru.docx"]
    assert len(result.stdout.splitlines()) == 2

    english = paragraphs(folder / f"{stem}_en.docx")
    text = "\n".join(t for _, t in english)
    assert ("Letter Title", "REPORT OF A CRIME") in english
    assert english[0][1].splitlines()[0] == "To: Prosecutor of Chui Region"
    assert "article 305-1 (Torture) of the Criminal Code of the Kyrgyz Republic of 1997" in text
    assert not re.search("[А-Яа-яЁё]", text), "Cyrillic text in the English letter"
    russian = "\n".join(t for _, t in paragraphs(folder / f"{stem}_ru.docx"))
    assert "ЗАЯВЛЕНИЕ" in russian and "REPORT OF A CRIME" not in russian


# --- 3. the Russian complaint, word for word ---------------------------------------------------------

# tests/letters/KG-2016-0001_complaint_ru.md was read line by line for its Russian and its law
# before it was committed. When a template or the model case changes on purpose, this test fails
# and writes the new letter next to its tmp_path; read the diff, then copy the file it names over
# the snapshot (the command is in the failure message).


def test_complaint_markdown_matches_the_reviewed_snapshot(
    letter_repo: Callable[..., Path], tmp_path: Path
) -> None:
    root = letter_repo()
    result = letter(root, "--format", "md", "--stdout", "--date", "2016-03-15")
    assert result.exit_code == 0, result.output
    assert errors(result.stderr) == []
    assert not (root / "out").exists()  # --stdout writes no file
    snapshot = SNAPSHOTS / "KG-2016-0001_complaint_ru.md"
    expected = snapshot.read_text(encoding="utf-8") if snapshot.exists() else ""
    if result.stdout != expected:
        actual = tmp_path / snapshot.name
        actual.write_text(result.stdout, encoding="utf-8")
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                result.stdout.splitlines(keepends=True),
                str(snapshot),
                "rendered",
            )
        )
        pytest.fail(
            f"the letter differs from the snapshot:\n{diff}\n"
            f"if the change is intended: cp {actual} {snapshot}"
        )


# --- 4. dates and numbers as a Russian legal letter writes them ---------------------------------------


@pytest.mark.parametrize(
    ("day", "ru", "en"),
    [
        (dt.date(2016, 3, 15), "15 марта 2016 г.", "15 March 2016"),
        (dt.date(2016, 3, 5), "5 марта 2016 г.", "5 March 2016"),
        (dt.date(2017, 1, 1), "1 января 2017 г.", "1 January 2017"),
        (dt.date(2015, 5, 9), "9 мая 2015 г.", "9 May 2015"),
        (dt.date(2014, 8, 20), "20 августа 2014 г.", "20 August 2014"),
        (dt.date(2013, 12, 31), "31 декабря 2013 г.", "31 December 2013"),
    ],
)
def test_date_long(day: dt.date, ru: str, en: str) -> None:
    assert date_long(day, "ru") == ru
    assert date_long(day, "en") == en


def test_date_quoted_and_numeric() -> None:
    assert date_quoted(dt.date(2016, 3, 5)) == "«05» марта 2016 г."
    assert date_quoted(dt.date(2016, 11, 25)) == "«25» ноября 2016 г."
    assert date_numeric(dt.date(2016, 4, 1)) == "01.04.2016"
    assert date_numeric(dt.date(2016, 12, 31)) == "31.12.2016"


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (0, "дней"),
        (1, "день"),
        (2, "дня"),
        (4, "дня"),
        (5, "дней"),
        (11, "дней"),
        (12, "дней"),
        (14, "дней"),
        (21, "день"),
        (22, "дня"),
        (25, "дней"),
        (101, "день"),
        (111, "дней"),
        (112, "дней"),
        (122, "дня"),
    ],
)
def test_plural(n: int, form: str) -> None:
    assert plural(n, ("день", "дня", "дней")) == form


@pytest.mark.parametrize(
    ("n", "feminine", "words"),
    [
        (0, False, "ноль"),
        (1, False, "один"),
        (1, True, "одна"),
        (2, True, "две"),
        (11, False, "одиннадцать"),
        (14, False, "четырнадцать"),
        (21, False, "двадцать один"),
        (40, False, "сорок"),
        (100, False, "сто"),
        (111, False, "сто одиннадцать"),
        (999, False, "девятьсот девяносто девять"),
        (1000, False, "одна тысяча"),
        (2016, False, "две тысячи шестнадцать"),
        (5000, False, "пять тысяч"),
        (21_001, False, "двадцать одна тысяча один"),
    ],
)
def test_number_words(n: int, feminine: bool, words: str) -> None:
    assert number_words(n, feminine=feminine) == words


def test_number_words_refuses_what_it_cannot_write() -> None:
    with pytest.raises(ValueError):
        number_words(-1)
    with pytest.raises(ValueError):
        number_words(1_000_000)


def test_count_with_words() -> None:
    days = ("день", "дня", "дней")
    assert count_with_words(1, days) == "1 (один) день"
    assert count_with_words(2, days) == "2 (два) дня"
    assert count_with_words(5, days) == "5 (пять) дней"
    assert count_with_words(11, days) == "11 (одиннадцать) дней"
    assert count_with_words(21, days) == "21 (двадцать один) день"
    assert count_with_words(22, days) == "22 (двадцать два) дня"
    assert count_with_words(111, days) == "111 (сто одиннадцать) дней"
    weeks = ("неделя", "недели", "недель")
    assert count_with_words(1, weeks, feminine=True) == "1 (одна) неделя"
    assert count_with_words(2, weeks, feminine=True) == "2 (две) недели"
    assert (
        count_with_words(15, ("рабочий день", "рабочих дня", "рабочих дней"))
        == "15 (пятнадцать) рабочих дней"
    )


def test_days_phrase() -> None:
    assert days_phrase(14, False, "ru") == "14 (четырнадцать) дней"
    assert days_phrase(1, False, "ru") == "1 (один) день"
    assert days_phrase(3, True, "ru") == "3 (три) рабочих дня"
    assert days_phrase(15, True, "ru") == "15 (пятнадцать) рабочих дней"
    assert days_phrase(21, True, "ru") == "21 (двадцать один) рабочий день"
    assert days_phrase(1, False, "en") == "1 day"
    assert days_phrase(14, False, "en") == "14 days"
    assert days_phrase(10, True, "en") == "10 working days"


@pytest.mark.parametrize(
    ("name", "acc", "ins"),
    [
        (
            "Прокуратура Чуйской области",
            "прокуратуру Чуйской области",
            "прокуратурой Чуйской области",
        ),
        ("Прокуратура города Бишкек", "прокуратуру города Бишкек", "прокуратурой города Бишкек"),
        (
            "Генеральная прокуратура Кыргызской Республики",
            "Генеральную прокуратуру Кыргызской Республики",
            "Генеральной прокуратурой Кыргызской Республики",
        ),
        (
            "Сокулукская районная прокуратура",
            "Сокулукскую районную прокуратуру",
            "Сокулукской районной прокуратурой",
        ),
        # names it cannot decline: the template words the sentence without declining them
        ("Sokuluk district procuracy", None, None),
        ("Прокурор Сокулукского района", None, None),
        ("Сокулукский районный прокурор", None, None),
        ("Чуйской области прокуратура", None, None),
    ],
)
def test_office_case(name: str, acc: str | None, ins: str | None) -> None:
    assert office_case(name, "acc") == acc
    assert office_case(name, "ins") == ins


# --- 5. a repository's own template ------------------------------------------------------------------


def test_a_repository_template_replaces_the_built_in_one_language_only(
    letter_repo: Callable[..., Path],
) -> None:
    root = letter_repo(files={TEMPLATE: "Дело {{ case_id }}: {{ addressee.head }}\n"})
    out = md(root, "--date", "2016-03-15", "--lang", "ru,en")
    russian, english = out.split("\n", 1)
    assert russian == "Дело KG-2016-0001: Прокурору Чуйской области"
    assert english.startswith("To: Prosecutor of Chui Region  \n")
    assert "# REPORT OF A CRIME" in english
    assert "ЗАЯВЛЕНИЕ" not in out

    # The DOCX is made from the same template.
    result = letter(root, "--date", "2016-03-15")
    assert result.exit_code == 0, result.output
    assert paragraphs(root / OUT / f"{COMPLAINT_RU}.docx")[-1] == (
        "Letter Body",
        "Дело KG-2016-0001: Прокурору Чуйской области",
    )


# --- 6. case text is printed, never run and never layout -------------------------------------------

INJECTED = """\
    narrative:
      ru: |-
        Before {{ 7*7 }} and {% for x in range(3) %}X{% endfor %} after.

        # Not a heading

        1. Not a request

        - not a bullet

        ::: signature
"""


def injected_case(model_case_text: str) -> str:
    start = model_case_text.index("    narrative:\n")
    end = model_case_text.index("    narrative_public:")
    return model_case_text[:start] + INJECTED + model_case_text[end:]


def test_template_syntax_in_a_narrative_is_printed_literally(
    letter_repo: Callable[..., Path], model_case_text: str
) -> None:
    root = letter_repo(injected_case(model_case_text))
    out = md(root, "--date", "2016-03-15")
    assert "Before {{ 7*7 }} and {% for x in range(3) %}X{% endfor %} after." in out
    assert "49" not in out and "XXX" not in out
    # Markdown: the only headings and numbered items are the template's own.
    assert [line for line in out.splitlines() if line.startswith("#")] == [
        "# ЗАЯВЛЕНИЕ",
        "## о преступлении (применении пыток)",
        "### Обстоятельства",
        "### Правовая оценка",
    ]
    numbered = [line for line in out.splitlines() if re.match(r"\d+\.", line)]
    assert [line.split(" ", 1)[0] for line in numbered] == [f"{n}." for n in range(1, 9)]
    assert not any(line.startswith("- not a bullet") for line in out.splitlines())

    result = letter(root, "--date", "2016-03-15")
    assert result.exit_code == 0, result.output
    paras = paragraphs(root / OUT / f"{COMPLAINT_RU}.docx")
    for text in ("# Not a heading", "1. Not a request", "- not a bullet", "::: signature"):
        assert ("Letter Body", text) in paras
    assert [t for s, t in paras if s == "Letter Title"] == ["ЗАЯВЛЕНИЕ"]
    assert [t for s, t in paras if s == "Letter Heading"] == ["Обстоятельства", "Правовая оценка"]
    assert len([s for s, _ in paras if s == "Letter Request"]) == 8
    assert len([s for s, _ in paras if s == "Letter Signature"]) == 1
    assert not any("49" in t for _, t in paras)


def test_a_numbered_narrative_line_reads_unchanged_in_rendered_markdown(
    letter_repo: Callable[..., Path], model_case_text: str
) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    root = letter_repo(injected_case(model_case_text))
    html = markdown_it.MarkdownIt().render(md(root, "--date", "2016-03-15"))
    assert "<h1>ЗАЯВЛЕНИЕ</h1>" in html  # the template's own heading is one
    assert "<p># Not a heading</p>" in html
    assert "<p>- not a bullet</p>" in html
    assert "<p>1. Not a request</p>" in html


# --- 7. a broken template -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("{% if %}oops\n", "template syntax error"),
        ("Дело {{ case_id }}\n{{ no_such_value }}\n", "'no_such_value' is undefined"),
        ("{% for v in victims %}{{ v.name }}{% endfor\n", "template syntax error"),
    ],
    ids=["syntax", "undefined", "unclosed-tag"],
)
def test_a_broken_template_is_a_config_error_naming_the_file(
    letter_repo: Callable[..., Path], template: str, says: str
) -> None:
    root = letter_repo(files={TEMPLATE: template})
    result = letter(root, "--date", "2016-03-15")
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    (message,) = errors(result.stderr)
    assert message.startswith("cattool: ")
    assert TEMPLATE in message
    assert says in message
    assert "Traceback" not in result.output
    assert not any(value in result.output for value in SENSITIVE)
    assert not (root / OUT).exists() or list((root / OUT).iterdir()) == []


def test_a_template_failing_at_run_time_names_the_template(
    letter_repo: Callable[..., Path], model_case_text: str
) -> None:
    root = letter_repo(
        edit(model_case_text, "    date_of_birth: 1994-07-02\n", ""),
        files={TEMPLATE: "{{ victims[0].born|date_numeric }}\n"},
    )
    result = letter(root, "--date", "2016-03-15")
    assert result.exit_code == 3, result.output
    (message,) = errors(result.stderr)
    assert TEMPLATE in message


def test_an_undefined_lookup_never_shows_a_case_value(
    letter_repo: Callable[..., Path],
) -> None:
    root = letter_repo(files={TEMPLATE: "{{ {'a': 1}[victims[0].name] }}\n"})
    result = letter(root, "--date", "2016-03-15")
    assert result.exit_code == 3, result.output
    assert not any(value in result.output for value in SENSITIVE), result.stderr


# --- 8. what the letter still lacks -------------------------------------------------------------


def test_model_case_has_everything_a_complaint_needs(letter_repo: Callable[..., Path]) -> None:
    root = letter_repo()
    result = letter(root, "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert errors(result.stderr) == ["the complaint letter has everything it needs"]
    assert not (root / "out").exists()


def test_gaps_are_listed_with_their_yaml_paths_and_nothing_is_written(
    letter_repo: Callable[..., Path], model_case_text: str
) -> None:
    case_text = edit(
        model_case_text, "    place_type: police_station\n", "    place_type: unknown\n"
    )
    root = letter_repo(case_text, config=CONFIG.replace(SIGNATORY, ""))
    case = root / CASE
    gaps = [
        "incidents[0].place_type: the place of the incident",
        "cattool.yaml: organisations.vof.signatory.name: who signs the letter",
    ]
    check = letter(root, "--check")
    assert check.exit_code == 1, check.output
    assert about_case(check.stdout.splitlines(), case) == gaps
    assert errors(check.stderr) == ["2 item(s) missing for the complaint letter"]

    render = letter(root, "--date", "2016-03-15")
    assert render.exit_code == 1, render.output
    assert render.stdout == ""
    first, *listed, last = errors(render.stderr)
    assert first == "cattool: the letter cannot be written yet; fill in:"
    assert all(line.startswith("  ") for line in listed)
    assert about_case(listed, case) == gaps
    assert last == "then run the command again (cattool letter --check shows this list)."
    for result in (check, render):
        assert not any(value in result.output for value in SENSITIVE), result.output
    assert not (root / "out").exists()
    assert case.read_text(encoding="utf-8") == case_text


def test_a_missing_required_field_is_named_by_its_path(
    letter_repo: Callable[..., Path], model_case_text: str
) -> None:
    """Without place_type the case is invalid: the letter refuses it as cattool validate would."""
    root = letter_repo(edit(model_case_text, "    place_type: police_station\n", ""))
    for args in (["--check"], ["--date", "2016-03-15"]):
        result = letter(root, *args)
        assert result.exit_code == 1, result.output
        assert "incidents[0].place_type" in result.stderr
        assert not any(value in result.output for value in SENSITIVE)
    assert not (root / "out").exists()


# --- 9. consent ---------------------------------------------------------------------------------

CONSENT_GAP = (
    "consent: no consent of v1 to a complaint to the authorities that may name them "
    "(scopes: domestic_complaint, name_to_government: true)"
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "scopes: [domestic_complaint, anonymised_statistics, un_special_procedures]",
            "scopes: [anonymised_statistics, un_special_procedures]",
        ),
        ("    given_on: 2016-03-14\n", "    given_on: 2016-03-14\n    withdrawn_on: 2016-03-15\n"),
        ("    name_to_government: true\n", "    name_to_government: false\n"),
    ],
    ids=["no-domestic-complaint-scope", "withdrawn", "name-not-to-government"],
)
def test_consent_that_does_not_cover_the_complaint_is_a_gap(
    letter_repo: Callable[..., Path], model_case_text: str, old: str, new: str
) -> None:
    root = letter_repo(edit(model_case_text, old, new))
    check = letter(root, "--check")
    assert check.exit_code == 1, check.output
    assert about_case(check.stdout.splitlines(), root / CASE) == [CONSENT_GAP]
    render = letter(root, "--date", "2016-03-15")
    assert render.exit_code == 1
    assert about_case(errors(render.stderr)[1:-1], root / CASE) == [CONSENT_GAP]
    assert not (root / "out").exists()


# --- 10. reminder -------------------------------------------------------------------------------


def test_reminder_cites_the_complaint_and_the_missed_deadline(
    letter_repo: Callable[..., Path],
) -> None:
    root = letter_repo()
    result = letter(root, "--kind", "reminder", "--date", "2016-04-05", "--format", "md")
    assert result.exit_code == 0, result.output
    path = (
        root / OUT / "KG-2016-0001_procuracy-reminder_sokuluk-district-procuracy_2016-04-05_ru.md"
    )
    assert result.stdout == f"wrote {os.path.relpath(path)}\n"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    # Addressed to the office the complaint (e1) went to, as the case names it, in the dative.
    assert lines[0] == "Прокурору Сокулукского района  "
    assert "# ПОВТОРНОЕ ОБРАЩЕНИЕ" in lines
    assert (
        "15 марта 2016 г. заявитель направил в прокуратуру Сокулукского района "
        "заявление (исх. № VOF-16/031 от 15.03.2016) о преступлении — применении пыток "
        "(пострадавший: Фиктионов Тимур Бакирович)." in lines
    )
    assert "Срок рассмотрения — 14 (четырнадцать) дней (" in text
    assert "истёк 29 марта 2016 г. На 5 апреля 2016 г. ответ заявителю не дан" in text
    assert "г.." not in text
    assert "1 (один) день" not in text  # the 24-hour registration rule is not what it cites
    assert "«05» апреля 2016 г., г. Бишкек  " in lines


def test_reminder_before_any_deadline_has_passed_is_not_due(
    letter_repo: Callable[..., Path],
) -> None:
    root = letter_repo()
    result = letter(root, "--kind", "reminder", "--date", "2016-03-16")
    assert result.exit_code == 1, result.output
    assert "a reminder is not due" in result.stderr
    assert "legal_actions" in result.stderr
    assert not (root / "out").exists()


def test_reminder_is_not_due_while_the_reply_deadline_runs(
    letter_repo: Callable[..., Path],
) -> None:
    root = letter_repo()
    result = letter(root, "--kind", "reminder", "--date", "2016-03-20")
    assert result.exit_code == 1, result.output
    assert "a reminder is not due" in result.stderr
    assert not (root / "out").exists()


# --- 11. appeal ---------------------------------------------------------------------------------


def test_appeal_goes_to_the_higher_prosecutor_against_the_refusal(
    letter_repo: Callable[..., Path],
) -> None:
    root = letter_repo()
    out = md(root, "--kind", "appeal", "--date", "2016-04-20")
    lines = out.splitlines()
    assert lines[0] == "Прокурору Чуйской области  "  # the refusal came from a district office
    assert "# ЖАЛОБА" in lines
    assert (
        "11 апреля 2016 г. прокуратурой Сокулукского района вынесено постановление об отказе в "
        "возбуждении уголовного дела № 02-17/516 (основание — отсутствие состава преступления)."
        in lines
    )
    assert (
        "1. Отменить постановление об отказе в возбуждении уголовного дела от 11.04.2016 "
        "№ 02-17/516 как незаконное и необоснованное." in lines
    )
    # before 2019 Kyrgyzstan had a pre-investigation check: the request is to open a case
    assert any(line.startswith("2. Возбудить уголовное дело по признакам") for line in lines)
    assert (
        "- Копия: постановление об отказе в возбуждении уголовного дела от 11.04.2016 "
        "№ 02-17/516." in lines
    )
    assert "(исх. № VOF-16/031)" in out  # the complaint it follows
    assert "«20» апреля 2016 г., г. Бишкек  " in lines


def test_appeal_without_a_refusal_is_refused(
    letter_repo: Callable[..., Path], model_case_text: str
) -> None:
    start = model_case_text.index("  - event_id: e3")  # e3 refusal and e4, the appeal of it
    end = model_case_text.index("# --- Consent")
    root = letter_repo(model_case_text[:start] + "\n" + model_case_text[end:])
    assert runner.invoke(app, ["validate", str(root / CASE), "--repo", str(root)]).exit_code == 0
    result = letter(root, "--kind", "appeal", "--date", "2016-04-20")
    assert result.exit_code == 1, result.output
    assert (
        "legal_actions: nothing to appeal on 2016-04-20: no refusal or closure is recorded; the "
        "proceedings stand at: complaint pending" in result.stderr
    )
    assert not (root / "out").exists()


# --- 12. never overwrite ------------------------------------------------------------------------


def test_an_existing_letter_is_kept_unless_force(letter_repo: Callable[..., Path]) -> None:
    root = letter_repo()
    args = ["--date", "2016-03-15", "--our-ref", "VOF-16/031"]
    first = letter(root, *args)
    assert first.exit_code == 0, first.output
    path = root / OUT / f"{COMPLAINT_RU}.docx"
    original = path.read_bytes()

    again = letter(root, *args)
    assert again.exit_code == 4, again.output
    assert again.stdout == ""
    assert errors(again.stderr) == [
        f"cattool: {path} exists already; nothing was written. Use --force to replace it."
    ]
    changed = letter(root, "--date", "2016-03-15", "--our-ref", "VOF-16/099")
    assert changed.exit_code == 4
    assert path.read_bytes() == original
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]

    forced = letter(root, "--date", "2016-03-15", "--our-ref", "VOF-16/099", "--force")
    assert forced.exit_code == 0, forced.output
    text = "\n".join(t for _, t in paragraphs(path))
    assert "Исх. № VOF-16/099" in text and "VOF-16/031" not in text
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


# --- 13. --record ---------------------------------------------------------------------------------


def test_record_appends_the_event_and_keeps_the_file(
    letter_repo: Callable[..., Path], model_case_text: str
) -> None:
    root = letter_repo()
    case = root / CASE
    result = letter(root, "--date", "2016-03-15", "--our-ref", "VOF-16/031", "--record")
    assert result.exit_code == 0, result.output
    assert about_case(result.stdout.splitlines()[-1:], case) == [
        "added e5 (complaint_sent, 2016-03-15)"
    ]
    after = case.read_text(encoding="utf-8")
    assert added_lines(model_case_text, after) == [
        "  - event_id: e5",
        "    date: 2016-03-15",
        "    type: complaint_sent",
        "    direction: outgoing",
        "    authority: {name: Прокуратура Чуйской области, level: regional, office: chui}",
        "    our_ref: VOF-16/031",
        "    filed_by: organisation",
        f"    document: {OUT}/{COMPLAINT_RU}.docx",
    ]
    comments = [line for line in model_case_text.splitlines() if "#" in line]
    assert [line for line in after.splitlines() if "#" in line] == comments
    assert sorted(p.name for p in case.parent.iterdir()) == [case.name]
    validate = runner.invoke(app, ["validate", str(case), "--repo", str(root)])
    assert validate.exit_code == 0, validate.output


def test_without_record_the_case_file_is_untouched(
    letter_repo: Callable[..., Path], model_case_text: str
) -> None:
    root = letter_repo()
    result = letter(root, "--date", "2016-03-15", "--format", "md")
    assert result.exit_code == 0, result.output
    assert (root / CASE).read_text(encoding="utf-8") == model_case_text


# --- 14. an invalid case ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("country: KG\n", "country: XX\n", "country: 'XX' is not a country"),
        (
            "    date_start: 2016-03-10\n",
            "    date_start: 2016-02-30\n",
            "incidents[0].date_start: '2016-02-30' is not a date that exists",
        ),
    ],
    ids=["country", "date"],
)
def test_an_invalid_case_gets_no_letter(
    letter_repo: Callable[..., Path], model_case_text: str, old: str, new: str, problem: str
) -> None:
    root = letter_repo(edit(model_case_text, old, new))
    result = letter(root, "--date", "2016-03-15", "--record")
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert any(problem in line for line in result.stderr.splitlines()), result.stderr
    assert errors(result.stderr)[-1].endswith("fix them first (cattool validate)")
    assert not (root / "out").exists()
    assert (root / CASE).read_text(encoding="utf-8") == edit(model_case_text, old, new)


# --- 15. offices --------------------------------------------------------------------------------


def test_office_option_chooses_the_addressee(letter_repo: Callable[..., Path]) -> None:
    root = letter_repo()
    result = letter(root, "--date", "2016-03-15", "--office", "gpo", "--format", "md")
    assert result.exit_code == 0, result.output
    path = root / OUT / "KG-2016-0001_procuracy-complaint_gpo_2016-03-15_ru.md"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "Генеральному прокурору Кыргызской Республики  "
    assert "Прокурору Чуйской области" not in text


def test_an_unknown_office_is_a_gap_listing_the_known_ones(
    letter_repo: Callable[..., Path],
) -> None:
    root = letter_repo()
    result = letter(root, "--date", "2016-03-15", "--office", "nope")
    assert result.exit_code == 1, result.output
    (line,) = [line for line in result.stderr.splitlines() if "--office" in line]
    (gap,) = about_case([line], root / CASE)
    assert gap.startswith("--office: 'nope' is not an office of KG (")
    known = gap[gap.index("(") + 1 : gap.rindex(")")].split(", ")
    assert {"chui", "gpo", "bishkek"} <= set(known)
    assert not (root / "out").exists()


def test_offices_lists_the_country_offices(letter_repo: Callable[..., Path]) -> None:
    root = letter_repo()
    result = runner.invoke(app, ["offices", "KG", "--repo", str(root)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in result.stdout.splitlines()}
    assert rows["chui"] == ["regional", "Прокуратура Чуйской области"]
    assert rows["gpo"] == ["general", "Генеральная прокуратура Кыргызской Республики"]
    unknown = runner.invoke(app, ["offices", "XX", "--repo", str(root)])
    assert unknown.exit_code == 2


# --- 16. PDF ------------------------------------------------------------------------------------


def test_pdf(letter_repo: Callable[..., Path]) -> None:
    root = letter_repo()
    result = letter(root, "--date", "2016-03-15", "--format", "pdf")
    folder = root / OUT
    if find_office() is None:
        assert result.exit_code == 3, result.output
        assert "LibreOffice" in result.stderr
        assert not folder.exists() or list(folder.iterdir()) == []
        return
    assert result.exit_code == 0, result.output
    path = folder / f"{COMPLAINT_RU}.pdf"
    assert sorted(p.name for p in folder.iterdir()) == [path.name]  # no DOCX or work folder left
    assert path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not on PATH: the PDF was made, its text not checked")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        encoding="utf-8",
    ).stdout
    assert "ЗАЯВЛЕНИЕ" in text
    assert "Прокурору Чуйской области" in text


def test_pdf_without_libreoffice_says_so_and_writes_nothing(
    letter_repo: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = letter_repo()
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = letter(root, "--date", "2016-03-15", "--format", "pdf")
    assert result.exit_code == 3, result.output
    (message,) = errors(result.stderr)
    assert "LibreOffice" in message
    folder = root / OUT
    assert not folder.exists() or list(folder.iterdir()) == []


# --- what the letters say: bugs in their Russian, English and law ------------------------------


def test_a_2016_complaint_does_not_cite_the_2019_crime_register(
    letter_repo: Callable[..., Path],
) -> None:
    out = md(letter_repo(), "--date", "2016-03-15")
    assert "Едином реестре преступлений и проступков" not in out


def test_a_complaint_cites_no_document_from_after_its_date(
    letter_repo: Callable[..., Path],
) -> None:
    out = md(letter_repo(), "--date", "2016-03-15")
    assert "22.03.2016" not in out


def test_a_complaint_for_a_woman_speaks_of_her_in_the_feminine(
    letter_repo: Callable[..., Path], model_case_text: str
) -> None:
    root = letter_repo(edit(model_case_text, "    sex: male\n", "    sex: female\n"))
    out = md(root, "--date", "2016-03-15")
    assert "Пострадавшая: Фиктионов Тимур Бакирович" in out  # the part that works
    assert "Со слов пострадавшей:" in out
    assert "пострадавшего" not in out


SECOND_INCIDENT = """\
  - incident_id: i2
    victim_ids: [v1]
    date_start: 2016-03-11
    date_precision: estimate
    place_type: police_station
    region: chui
    methods: [beating]
    narrative: {ru: Второй вымышленный рассказ., en: Second fictional account.}

"""


def test_english_dates_of_several_incidents_keep_their_capitals(
    letter_repo: Callable[..., Path], model_case_text: str
) -> None:
    case = edit(
        model_case_text,
        "# --- Alleged perpetrators",
        SECOND_INCIDENT + "# --- Alleged perpetrators",
    )
    root = letter_repo(case)
    russian = md(root, "--date", "2016-03-15")
    assert "1) 10 марта 2016 г. (Фиктионов Тимур Бакирович)." in russian
    assert "2) Около 11 марта 2016 г. (Фиктионов Тимур Бакирович)." in russian
    english = md(root, "--date", "2016-03-15", "--lang", "en")
    assert "1) 10 March 2016 (Timur Bakirovich Fictionov)." in english
    assert "2) On or about 11 March 2016 (Timur Bakirovich Fictionov)." in english


def test_a_place_is_named_once_but_a_village_after_its_district_stays() -> None:
    from cattool.letters.common import place_text

    assert place_text(["ОВД г. Кызыл-Кия", "г. Кызыл-Кия", "Баткенская область"]) == (
        "ОВД г. Кызыл-Кия, Баткенская область"
    )
    assert place_text(["police station", "Bishkek", "Bishkek"]) == "police station, Bishkek"
    assert place_text(["УВД", "г. Бишкек", "г. Бишкек"]) == "УВД, г. Бишкек"
    assert place_text(["Sokuluk district police department (ROVD)", "Sokuluk", "Chui Region"]) == (
        "Sokuluk district police department (ROVD), Sokuluk, Chui Region"
    )
