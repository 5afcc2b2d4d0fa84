"""The one Jinja environment every letter and report is rendered with.

Sandboxed, ``StrictUndefined`` (a missing value is an error, never an empty gap in a letter sent
to a prosecutor). Every text of the context passes through ``escape_tree`` first, so case text is
always printed as text: a narrative holding ``{{ ... }}`` is never run (values are never
templates), and one starting with "#" or "1." cannot change the letter's layout.

Templates are looked up in the case repository's ``templates/`` first, then in the built-in ones,
file by file, so a coalition overrides exactly what it changes. A repository's own template is
read only as a regular file inside the repository (``cattool.files.own_file``): a link that
leaves it is a ConfigError naming the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from pathlib import Path
from typing import Any

from cattool.errors import ConfigError
from cattool.files import own_file
from cattool.letters.document import escape_tree
from cattool.repo import CaseRepo, builtin_dir
from cattool.russian import date_long, date_numeric, date_quoted, days_phrase, office_case


def template_dirs(repo: CaseRepo | None) -> list[Path]:
    dirs = [] if repo is None else [repo.templates_dir]
    return [*dirs, builtin_dir() / "templates"]


def find_template(repo: CaseRepo | None, name: str) -> Path:
    """The repository's own copy of a template file if it has one, else the built-in."""
    if repo is not None and own_file(repo.root, repo.templates_dir / name):
        return repo.templates_dir / name
    for folder in template_dirs(repo)[1 if repo is not None else 0 :]:
        if (folder / name).is_file():
            return folder / name
    raise ConfigError(f"no template {name} in {' or '.join(map(str, template_dirs(repo)))}")


def sentence(text: str) -> str:
    """End a text with one full stop: '10 марта 2016 г.' stays, 'Sokuluk' gets one."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def upper_first(text: str) -> str:
    """'15 february' stays as written but 'около 10 марта' -> 'Около 10 марта' (only the first letter)."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """'Beating' -> 'beating', but 'IVS' and 'ИВС' stay as they are."""
    if len(text) > 1 and text[0].isupper() and (text[1].islower() or text[1] == " "):
        return text[0].lower() + text[1:]
    return text


def join_words(items: list[str], lang: str) -> str:
    """'a, b and c' / 'a, b и c'."""
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    last = " и " if lang == "ru" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def environment(repo: CaseRepo | None, *, trim_blocks: bool = True) -> Any:
    """The Jinja environment of a repository's templates (the repository's own first, then the
    built-in ones). One per folder list and kind, kept for the process: a batch of letters
    compiles each template once (Jinja still reloads a template whose file changed)."""
    own = None if repo is None else str(repo.root)
    return _environment(tuple(str(d) for d in template_dirs(repo)), trim_blocks, own)


@functools.lru_cache(maxsize=16)
def _environment(dirs: tuple[str, ...], trim_blocks: bool, own: str | None) -> Any:
    """``own``: the repository whose templates (the first of ``dirs``) are checked as they are
    read, so that a link leaving it is refused (an include or extends as much as the letter)."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.loaders import split_template_path
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class OwnTemplates(FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            assert own is not None
            own_file(Path(own), Path(self.searchpath[0], *split_template_path(template)))
            return super().get_source(environment, template)

    loaders = [
        OwnTemplates(d) if own is not None and i == 0 else FileSystemLoader(d)
        for i, d in enumerate(dirs)
    ]
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=trim_blocks,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date_long=lambda d, lang="ru": date_long(_as_date(d), lang),
        date_quoted=lambda d: date_quoted(_as_date(d)),
        date_numeric=lambda d: date_numeric(_as_date(d)),
        days_phrase=days_phrase,
        lower_first=lower_first,
        upper_first=upper_first,
        join_words=join_words,
        sentence=sentence,
        office_case=office_case,
    )
    return env


def render(
    repo: CaseRepo | None, name: str, context: dict[str, Any], *, letter_markup: bool = True
) -> str:
    """Render one template; a broken template is a ConfigError naming the file and line.

    ``letter_markup`` escapes every text for the letter markup (cattool.letters.document); a
    report template that is not letter markup passes False and escapes for its own format.
    """
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError

    # Letter markup is read line by line and ignores blank lines, so tags keep their newlines
    # there: a line ending in {% endif %} is not glued to the next one.
    env = environment(repo, trim_blocks=not letter_markup)
    try:
        values = escape_tree(context) if letter_markup else context
        return str(env.get_template(name).render(**values))
    except ConfigError:
        raise  # a template the repository may not use (cattool.files.own_file)
    except TemplateNotFound:
        raise ConfigError(
            f"no template {name} in {' or '.join(map(str, template_dirs(repo)))}"
        ) from None
    except TemplateSyntaxError as err:
        where = f"{err.filename or name}:{err.lineno}"
        raise ConfigError(f"{where}: template syntax error: {err.message}") from None
    except Exception as err:
        # A template failed while running (an undefined value, a filter given a bad value).
        # Jinja's messages can quote a case value (a missing key is printed), so only the kind
        # of error and the template line are shown.
        if isinstance(err, UndefinedError):
            # "'name' is undefined" names a template variable (the template's own text) and is
            # shown; other undefined errors can name a case value used as a key, and are not.
            plain = re.fullmatch(r"'[A-Za-z_][A-Za-z0-9_]*' is undefined", str(err.message))
            what = "uses a value cattool does not give it" + (f": {err.message}" if plain else "")
        else:
            what = f"failed while rendering ({type(err).__name__})"
        raise ConfigError(f"{_template_line(err, env, name)}: template {what}") from None


def _template_line(err: BaseException, env: Any, name: str) -> str:
    """'templates/letters/x.md.j2:12': the deepest template frame of the error's traceback."""
    found = _shown(env, name)
    tb = err.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{os.path.relpath(filename)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _shown(env: Any, name: str) -> str:
    try:
        return str(os.path.relpath(env.get_template(name).filename))
    except Exception:  # the name is enough
        return name
