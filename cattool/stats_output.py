"""Statistics as people send them: terminal tables, CSV, XLSX, JSON, Markdown, charts, a report.

Every output carries the provenance (commit, date, version, files read, filters, as-of) and the
notes under each table (unit of count, suppression). Nothing here ever sees a name: the tables
are counts, made by cattool.stats from coded values only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cattool.outputs import csv_text, md_text, xlsx_append
from cattool.stats import StatsResult, Table

# The tables of the one-page report; the rest are in the full outputs.
REPORT_TABLES = ("new_by_country", "funnel", "by_agency", "victims_age")

PROVENANCE_LABELS = {
    "en": "Made with cattool {cattool_version} on {generated_on} from commit {repository_commit}; "
    "{case_files_read} case files read, {cases_counted} cases counted, {case_files_skipped} "
    "skipped for errors; period {period}, as of {as_of}; countries: {countries}; "
    "organisations: {organisations}; unit: {unit}.",
    "ru": "Подготовлено cattool {cattool_version} {generated_on} по коммиту {repository_commit}; "
    "прочитано файлов дел: {case_files_read}, учтено дел: {cases_counted}, пропущено из-за "
    "ошибок: {case_files_skipped}; период {period}, по состоянию на {as_of}; страны: "
    "{countries}; организации: {organisations}; единица: {unit}.",
}


def provenance_line(result: StatsResult) -> str:
    values = dict(result.provenance)
    if result.query.lang == "ru":
        for key in ("countries", "organisations"):
            if values[key] == "all":
                values[key] = "все"
        values["unit"] = {"cases": "дела", "victims": "пострадавшие"}.get(
            values["unit"], values["unit"]
        )
        if values["repository_commit"] == "not a git repository":
            values["repository_commit"] = "(не git-репозиторий)"
        values["repository_commit"] = values["repository_commit"].replace(
            " (with uncommitted changes in cases/)", " (с незакоммиченными изменениями в cases/)"
        )
    return PROVENANCE_LABELS[result.query.lang].format(**values)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}" if value != int(value) else str(int(value))
    return str(value)


def _rows(table: Table) -> tuple[list[str], list[list[str]]]:
    header = ["", *(str(c) for c in table.columns)]
    rows = [
        [str(label), *(_cell(v) for v in row)]
        for label, row in zip(table.labels, table.rows, strict=True)
    ]
    return header, rows


# --- terminal -----------------------------------------------------------------------------------


def print_tables(result: StatsResult, console: Any) -> None:
    from rich.table import Table as RichTable

    for line in result.headlines:
        console.print(line, highlight=False, markup=False)
    console.print()
    for table in result.tables:
        header, rows = _rows(table)
        rich_table = RichTable(title=table.title, title_justify="left", caption_justify="left")
        for i, name in enumerate(header):
            rich_table.add_column(name, justify="left" if i == 0 else "right")
        for row in rows:
            rich_table.add_row(*row)
        if not rows:
            rich_table.add_row("(none)" if result.query.lang == "en" else "(нет)")
        console.print(rich_table)
        for note in table.notes:
            console.print(note, style="dim", highlight=False, markup=False)
        console.print()
    console.print(provenance_line(result), highlight=False, markup=False, style="dim")


# --- Markdown, CSV, JSON ------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def table_markdown(table: Table) -> str:
    header, rows = _rows(table)
    lines = [f"### {table.title}", ""]
    lines.append("| " + " | ".join(_md_escape(h) for h in header) + " |")
    lines.append("|" + "|".join(["---", *["---:"] * (len(header) - 1)]) + "|")
    for label, *cells in rows:  # a label may be a value from the cases: escaped as case text
        lines.append("| " + " | ".join([md_text(label), *map(_md_escape, cells)]) + " |")
    if not rows:
        lines.append("| (none) |" + " |" * (len(header) - 1))
    lines.append("")
    lines += [f"*{_md_escape(note)}*  " for note in table.notes]
    return "\n".join(lines).rstrip() + "\n"


def to_markdown(result: StatsResult) -> str:
    parts = [*(f"{line}" for line in result.headlines), ""]
    parts += [table_markdown(t) for t in result.tables]
    parts.append(f"*{provenance_line(result)}*")
    return "\n".join(parts) + "\n"


def table_csv(table: Table) -> str:
    """One table as CSV (cattool.outputs.csv_text): counts as numbers, labels as safe text."""
    header, _ = _rows(table)
    rows = [
        [str(label), *(_json_value(v) for v in row)]
        for label, row in zip(table.labels, table.rows, strict=True)
    ]
    return csv_text([header, *rows])


def to_csv_stream(result: StatsResult) -> str:
    """All tables in one CSV stream: a '# title' line before each, a blank line after."""
    parts = []
    for table in result.tables:
        parts.append(f"# {table.title}\n{table_csv(table)}")
    parts.append(f"# {provenance_line(result)}\n")
    return "\n".join(parts)


def to_json(result: StatsResult) -> str:
    tables = []
    for table in result.tables:
        tables.append(
            {
                "key": table.key,
                "title": table.title,
                "notes": table.notes,
                "columns": [str(c) for c in table.columns],
                "rows": [
                    {"label": str(label), "values": [_json_value(v) for v in row]}
                    for label, row in zip(table.labels, table.rows, strict=True)
                ],
            }
        )
    return json.dumps(
        {
            "headlines": result.headlines,
            "provenance": result.provenance,
            "skipped_files": [str(p) for p in result.skipped],
            "tables": tables,
        },
        ensure_ascii=False,
        indent=2,
    )


def _json_value(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value == int(value):
        return int(value)
    return value


def write_csv_dir(result: StatsResult, folder: Path) -> list[Path]:
    from cattool.files import write_bytes

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in result.tables:
        path = folder / f"{table.key}.csv"
        write_bytes(path, table_csv(table).encode("utf-8-sig"))  # Excel opens UTF-8 with a BOM
        written.append(path)
    path = folder / "provenance.json"
    write_bytes(path, json.dumps(result.provenance, ensure_ascii=False, indent=2).encode("utf-8"))
    written.append(path)
    return written


# --- XLSX ---------------------------------------------------------------------------------------


def write_xlsx(result: StatsResult, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from cattool.files import write_with

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Summary" if result.query.lang == "en" else "Итоги"
    # Every row through cattool.outputs.xlsx_append: a text is never stored as a formula.
    for line in result.headlines:
        xlsx_append(sheet, [line])
    sheet.append([])
    xlsx_append(sheet, [provenance_line(result)])
    sheet.column_dimensions["A"].width = 120
    for table in result.tables:
        ws = book.create_sheet(_sheet_name(table, book.sheetnames))
        xlsx_append(ws, [table.title])
        ws["A1"].font = Font(bold=True, size=12)
        header, _ = _rows(table)
        xlsx_append(ws, header)
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for label, row in zip(table.labels, table.rows, strict=True):
            xlsx_append(ws, [str(label), *(_json_value(v) for v in row)])
        ws.append([])
        for note in table.notes:
            xlsx_append(ws, [note])
        ws.column_dimensions["A"].width = (
            max([len(str(label)) for label in table.labels] + [len(header[0]), 20]) + 2
        )
        for i in range(2, len(header) + 1):
            ws.column_dimensions[get_column_letter(i)].width = max(12, len(header[i - 1]) + 2)
        ws.freeze_panes = "B3"
    write_with(path, lambda tmp: book.save(str(tmp)))


def _sheet_name(table: Table, taken: list[str]) -> str:
    name = "".join(ch for ch in table.key if ch not in "[]:*?/\\")[:31]
    return name if name not in taken else f"{name[:28]}_{len(taken)}"


# --- charts -------------------------------------------------------------------------------------

HATCHES = ("", "///", "...", "xxx", "\\\\\\", "++", "oo")
GREYS = ("#333333", "#888888", "#bbbbbb", "#dddddd", "#555555", "#999999")


def write_charts(result: StatsResult, folder: Path) -> list[Path]:
    """PNG and SVG charts, readable in black and white (hatching, not only colour)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cattool.files import write_with

    folder.mkdir(parents=True, exist_ok=True)
    by_key = {t.key: t for t in result.tables}
    words = "en" if result.query.lang == "en" else "ru"
    written: list[Path] = []

    def save(figure: Any, name: str) -> None:
        figure.tight_layout()
        for ext in ("png", "svg"):
            path = folder / f"{name}.{ext}"
            write_with(
                path,
                lambda tmp, e=ext: figure.savefig(  # type: ignore[misc]
                    str(tmp), format=e, dpi=150, metadata=_chart_metadata(e)
                ),
            )
            written.append(path)
        plt.close(figure)

    periods = result.query.period.columns
    countries = by_key["new_by_country"]
    figure, axes = plt.subplots(figsize=(7, 4))
    width = 0.8 / max(1, len(countries.labels))
    for i, country in enumerate(countries.labels):
        values = [_number(countries.cell(country, p)) for p in periods]
        positions = [x + i * width for x in range(len(periods))]
        bars = axes.bar(positions, values, width, label=str(country), color=GREYS[i % len(GREYS)],
                        edgecolor="black", hatch=HATCHES[i % len(HATCHES)])  # fmt: skip
        axes.bar_label(
            bars, labels=[_cell(countries.cell(country, p)) for p in periods], fontsize=8
        )
    axes.set_xticks([x + width * (len(countries.labels) - 1) / 2 for x in range(len(periods))])
    axes.set_xticklabels(periods)
    axes.set_title(by_key["new_by_country"].title)
    axes.set_ylabel("cases" if words == "en" else "дела")
    if countries.labels:
        axes.legend()
    save(figure, "new_cases_by_country")

    for key, name in (("funnel", "funnel"), ("by_agency", "agencies"), ("by_method", "methods")):
        table = by_key[key]
        column = _total_column(table, result)
        labels = [str(label) for label in table.labels][::-1]
        values = [_number(v) for v in table.column(column)][::-1] if column else []
        figure, axes = plt.subplots(figsize=(7, 0.45 * max(3, len(labels)) + 1))
        bars = axes.barh(labels, values, color="#888888", edgecolor="black", hatch="///")
        axes.bar_label(bars, labels=[_cell(v) for v in table.column(column)][::-1] if column else [],
                       fontsize=8, padding=2)  # fmt: skip
        axes.set_title(table.title)
        save(figure, name)
    return written


def _chart_metadata(ext: str) -> dict[str, Any]:
    # No creation date or software string: the same figures give the same files.
    return {"Software": None} if ext == "png" else {"Date": None, "Creator": None}


def _total_column(table: Table, result: StatsResult) -> str | None:
    from cattool.stats import WORDS

    total = WORDS[result.query.lang]["total"]
    columns = [str(c) for c in table.columns]
    if total in columns:
        return total
    return columns[0] if columns else None


def _number(value: Any) -> float:
    """A count for a chart; a suppressed cell ('<3') is drawn as 0 and labelled '<3'."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


# --- the report ---------------------------------------------------------------------------------


def write_report(result: StatsResult, folder: Path, repo: Any) -> list[Path]:
    """A publishable report in Markdown and HTML, with the charts beside it."""
    from cattool.files import write_bytes
    from cattool.rendering import render

    charts = write_charts(result, folder)
    lang = result.query.lang
    context = {
        "lang": lang,
        "period": result.query.period.label,
        "headlines": result.headlines,
        # one page: the headline tables; every table is in --format xlsx/csv/md
        "tables": [
            {"title": t.title, "header": _rows(t)[0], "rows": _rows(t)[1], "notes": t.notes}
            for t in result.tables
            if t.key in REPORT_TABLES
        ],
        "more": (
            "All tables: cattool stats with --format xlsx, csv or md."
            if lang == "en"
            else "Все таблицы: cattool stats с --format xlsx, csv или md."
        ),
        "charts": [p.name for p in charts if p.suffix == ".svg"],
        "provenance": provenance_line(result),
        "public": result.query.public,
    }
    written = []
    for ext in ("md", "html"):
        text = render(repo, f"reports/stats.{lang}.{ext}.j2", context, letter_markup=False)
        path = folder / f"report.{lang}.{ext}"
        write_bytes(path, text.encode("utf-8"))
        written.append(path)
    return [*written, *charts]
