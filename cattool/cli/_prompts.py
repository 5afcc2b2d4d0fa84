"""Questions asked in a terminal: each answer is checked at once, and a wrong one is asked again."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable

import typer

from cattool.errors import CattoolError, ExitCode
from cattool.vocabularies import Vocabulary


def can_prompt(no_input: bool, interactive: bool) -> bool:
    """Prompt only in a terminal (or when asked to); never hang on a pipe."""
    if no_input:
        return False
    return interactive or sys.stdin.isatty()


def _bad(message: str) -> Exception:
    return typer.BadParameter(message)


def parse_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise _bad(f"'{text}' is not a date; write YYYY-MM-DD, for example 2016-03-14") from None
    return day


def ask(label: str, convert: Callable[[str], object], default: str | None = None) -> object:
    return typer.prompt(label, default=default, value_proc=convert, err=True)


def ask_date(label: str, default: dt.date | None = None) -> dt.date:
    value = ask(label + " (YYYY-MM-DD)", parse_date, default.isoformat() if default else None)
    assert isinstance(value, dt.date)
    return value


def ask_text(label: str, default: str | None = None) -> str:
    def convert(text: str) -> str:
        if not text.strip():
            raise _bad("please write something")
        return text.strip()

    value = ask(label, convert, default)
    return str(value)


def show_choices(vocab: Vocabulary) -> None:
    for number, value in enumerate(vocab.values, start=1):
        en, ru = vocab.label(value, "en"), vocab.label(value, "ru")
        typer.echo(f"  {number:>2}. {value:28} {en} / {ru}", err=True)


def choice_converter(vocab: Vocabulary) -> Callable[[str], str]:
    def convert(text: str) -> str:
        text = text.strip()
        if text.isdigit() and 1 <= int(text) <= len(vocab.values):
            return vocab.values[int(text) - 1]
        if text in vocab.labels:
            return text
        raise _bad(
            f"'{text}' is not one of the {len(vocab.values)} choices; give its number or name"
        )

    return convert


def ask_choice(label: str, vocab: Vocabulary, default: str | None = None) -> str:
    show_choices(vocab)
    return str(ask(label, choice_converter(vocab), default))


def ask_choices(label: str, vocab: Vocabulary, default: str | None = None) -> list[str]:
    """Several values, separated by commas (numbers or names)."""
    show_choices(vocab)
    one = choice_converter(vocab)

    def convert(text: str) -> list[str]:
        parts = [p for p in (s.strip() for s in text.split(",")) if p]
        if not parts:
            raise _bad("give at least one, separated by commas")
        return list(dict.fromkeys(one(p) for p in parts))

    value = ask(label + " (numbers or names, separated by commas)", convert, default)
    assert isinstance(value, list)
    return value


def check_choice(option: str, value: str, vocab: Vocabulary) -> str:
    """Check an option's value against a vocabulary: a clear usage error names the choices."""
    if value in vocab.labels:
        return value
    from difflib import get_close_matches

    close = get_close_matches(value, vocab.values, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise CattoolError(
        f"{option}: '{value}' is not {vocab.noun}; {hint}choose from: {', '.join(vocab.values)}",
        ExitCode.USAGE,
    )


SENSITIVE_OPTIONS = ("--birth-date", "--date-of-birth")


def check_date(option: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        # a date of birth is sensitive: say what is wrong without repeating it
        shown = "the value" if option in SENSITIVE_OPTIONS else f"'{value}'"
        raise CattoolError(
            f"{option}: {shown} is not a date; write YYYY-MM-DD", ExitCode.USAGE
        ) from None


def ask_optional_text(label: str) -> str | None:
    value = typer.prompt(label + " (Enter to skip)", default="", show_default=False, err=True)
    return str(value).strip() or None


def ask_optional_date(label: str) -> dt.date | None:
    def convert(text: str) -> dt.date | None:
        return parse_date(text) if text.strip() else None

    value = ask(label + " (YYYY-MM-DD, Enter if unknown)", convert, "")
    return value if isinstance(value, dt.date) else None


def ask_optional_int(label: str) -> int | None:
    def convert(text: str) -> int | None:
        if not text.strip():
            return None
        if not text.strip().isdigit() or not 0 <= int(text) <= 120:
            raise _bad("give the age in whole years, or press Enter if unknown")
        return int(text)

    value = ask(label + " (Enter if unknown)", convert, "")
    return value if isinstance(value, int) else None
